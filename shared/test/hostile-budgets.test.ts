import { afterEach, describe, expect, it } from 'vitest';
import {
  AUTHOR_MESSAGE_BUDGET,
  AUTHOR_STORAGE_BUDGET,
  type LegacyMessage,
  DEFAULT_MESH_OPTIONS,
  type LinkCloseReason,
  MAX_BAD_FRAMES_PER_LINK,
  MAX_BODY_CHARS,
  MAX_PEER_FRAME_BYTES,
  MAX_TOPOLOGY_CLAIMS_PER_LINK,
  MAX_TOPOLOGY_ENTRIES,
  MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK,
  type PeerMessage,
  signChatMessage,
  type TopologyEntryFrame,
  utf8Length,
} from '../src/index';
import { createInstantIdentity } from './helpers/instant-crypto';
import { attachRawPeer, type RawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, type SimNetwork, type SimPeer, uuid } from './helpers/sim';

/**
 * Issue 8, attack 4: a member that completed the handshake (Mallory) floods, asks for history again
 * and again, pushes history nobody asked for and gossips invented members. Each test asserts what the
 * honest peers still do.
 */
let net: SimNetwork | undefined;
afterEach(() => net?.close());

const MALLORY = peerIdOf(66);
const mallory = createInstantIdentity(66);
let forged = 0;
const forge = (patch: Partial<LegacyMessage> = {}): Promise<LegacyMessage> => {
  forged++;
  return signChatMessage(mallory, {
    id: uuid(0xbad, forged), room: ROOM, author: MALLORY, seq: forged, lamport: 1, sentAt: 0, name: 'mallory', body: 'spam',
    publicKey: mallory.publicKey, ...patch,
  });
};
const forgeMany = (count: number, patch: Partial<LegacyMessage> = {}): Promise<LegacyMessage[]> =>
  Promise.all(Array.from({ length: count }, () => forge(patch)));

/** `size` honest peers, all linked to each other, and Mallory linked to the peers in `targets`. */
/** History budgets small enough to exhaust in a test (the defaults are sized for a keeper's big rooms). */
const PULL_BUDGET = { perSecond: 50, burst: 20_000 };
const ANSWER_BUDGET = { perSecond: 64 * 1024, burst: 16 * 1024 * 1024 };

async function room(size: number, targets: number[], onFrame?: (message: PeerMessage, raw: RawPeer) => void) {
  net = await createSimNetwork({ size, crypto: 'instant', options: { historyPullBudget: PULL_BUDGET, historyAnswerBudget: ANSWER_BUDGET } });
  const peers = net.peers;
  for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) net.connect(i, j);
  const links: RawPeer[] = [];
  for (const t of targets) {
    const target = peers[t] as SimPeer;
    links.push(await attachRawPeer(target, MALLORY, { handshake: true, identity: mallory, autoPong: true, onFrame }));
  }
  await eventually(() => {
    for (const p of peers) expect(onlineCount(p)).toBe(size - 1 + (targets.includes(p.index) ? 1 : 0));
  });
  return { peers, links };
}

const closeReasons = (peer: SimPeer): LinkCloseReason[] => {
  const reasons: LinkCloseReason[] = [];
  peer.mesh.on('link-closed', (e) => reasons.push(e.reason));
  return reasons;
};
const fromMallory = (peer: SimPeer): number => peer.store.messages(ROOM).filter((m) => m.author === MALLORY).length;
const honestOnline = (peer: SimPeer): number => peer.mesh.peers().filter((p) => p.state === 'online' && p.peerId !== MALLORY).length;

describe('a hostile member with per-peer budgets in place', () => {
  it('flooding 16 KB messages gets its links cut and banned while honest peers keep talking', async () => {
    const { peers, links } = await room(3, [0, 1]);
    const [a, b, c] = peers as [SimPeer, SimPeer, SimPeer];
    const reasons = [closeReasons(a), closeReasons(b)];
    const flood = await forgeMany(600, { body: 'x'.repeat(MAX_BODY_CHARS) }); // 10 MB in a rush
    for (const message of flood) for (const link of links) if (!link.closed()) link.send({ type: 'chat', hops: 1, message });
    await eventually(() => expect(reasons).toEqual([['OVER_BUDGET'], ['OVER_BUDGET']]));
    // Each victim stored no more than one author's storage burst of it, and the honest triangle stands.
    const perVictim = Math.floor(AUTHOR_STORAGE_BUDGET.burst / utf8Length(JSON.stringify(flood[0])));
    for (const p of peers) expect(fromMallory(p)).toBeLessThanOrEqual(perVictim);
    for (const p of peers) expect(honestOnline(p)).toBe(2);
    const hello = await c.mesh.send('still here');
    await eventually(() => {
      for (const p of [a, b]) expect(p.received.map((m) => m.id)).toContain(hello.id);
    });
    // Banned: a new link from Mallory is refused until the ban runs out.
    expect(a.mesh.bannedUntil(MALLORY)).toBe(net!.clock.now() + DEFAULT_MESH_OPTIONS.banMs);
    const again = await attachRawPeer(a, MALLORY, { handshake: true, identity: mallory });
    await eventually(() => expect(again.closed()).toBe(true));
    expect(reasons[0]).toEqual(['OVER_BUDGET', 'BANNED']);
    expect(a.mesh.counters().bannedLinksRefused).toBe(1);
  });

  it('an ABUSE close is a timed ban, announced, and lifted after banMs', async () => {
    const { peers, links } = await room(1, [0]);
    const [a] = peers as [SimPeer];
    const bans: { peerId: string; until: number; reason: LinkCloseReason }[] = [];
    a.mesh.on('peer-banned', (e) => bans.push(e));
    for (let i = 0; i < MAX_BAD_FRAMES_PER_LINK; i++) links[0]!.sendRaw('garbage');
    await eventually(() => expect(links[0]!.closed()).toBe(true));
    const until = net!.clock.now() + DEFAULT_MESH_OPTIONS.banMs;
    expect(bans).toEqual([{ peerId: MALLORY, until, reason: 'ABUSE' }]);
    net!.clock.advance(DEFAULT_MESH_OPTIONS.banMs - 1);
    expect(a.mesh.bannedUntil(MALLORY)).toBe(until);
    net!.clock.advance(1);
    expect(a.mesh.bannedUntil(MALLORY)).toBeNull();
    await attachRawPeer(a, MALLORY, { handshake: true, identity: mallory });
    await eventually(() => expect(onlineCount(a)).toBe(1));
  });

  it('delivers an author’s live messages up to its message budget (N) and throttles the next (N+1), then refills', async () => {
    const { peers, links } = await room(3, [0]);
    const [a, , c] = peers as [SimPeer, SimPeer, SimPeer];
    const throttled: { publicKey: string; author: string; until: number }[] = [];
    a.mesh.on('author-throttled', (e) => throttled.push(e));
    const burst = AUTHOR_MESSAGE_BUDGET.burst;
    for (const message of await forgeMany(burst)) links[0]!.send({ type: 'chat', hops: 1, message });
    await eventually(() => expect(fromMallory(c)).toBe(burst)); // forwarded to C
    expect(throttled).toEqual([]);
    const [over] = await forgeMany(1);
    links[0]!.send({ type: 'chat', hops: 1, message: over! });
    await eventually(() => expect(a.mesh.counters().authorThrottledDropped).toBe(1));
    const now = net!.clock.now();
    expect(throttled).toEqual([{ publicKey: mallory.publicKey, author: MALLORY, until: now + Math.ceil(1000 / AUTHOR_MESSAGE_BUDGET.perSecond) }]);
    expect(fromMallory(a)).toBe(burst);
    // An honest author is not held up, and the relay was not blamed for Mallory's excess.
    const honest = await c.mesh.send('mine');
    await eventually(() => expect(a.received.map((m) => m.id)).toContain(honest.id));
    expect(links[0]!.closed()).toBe(false);
    net!.clock.advance(1000);
    links[0]!.send({ type: 'chat', hops: 1, message: over! });
    await eventually(() => expect(fromMallory(c)).toBe(burst + 1));
  });

  it('keeps one budget per signing key however many author ids it signs under', async () => {
    const { peers, links } = await room(1, [0]);
    const [a] = peers as [SimPeer];
    const rotating = await Promise.all(
      Array.from({ length: AUTHOR_MESSAGE_BUDGET.burst + 1 }, (_, i) => forge({ author: peerIdOf(30_000 + i), seq: 1 })),
    );
    for (const message of rotating) links[0]!.send({ type: 'chat', hops: 1, message });
    await eventually(() => expect(a.mesh.counters().authorThrottledDropped).toBe(1));
    expect(a.store.messages(ROOM)).toHaveLength(AUTHOR_MESSAGE_BUDGET.burst);
  });

  it('does not pull a throttled author’s dropped messages straight back in through history sync', async () => {
    const { peers, links } = await room(1, [0]);
    const [a] = peers as [SimPeer];
    const flood = await forgeMany(AUTHOR_MESSAGE_BUDGET.burst + 1);
    for (const message of flood) links[0]!.send({ type: 'chat', hops: 1, message });
    await eventually(() => expect(a.mesh.counters().authorThrottledDropped).toBe(1));
    // A asked Mallory for history when the link opened; Mallory answers with the dropped message.
    expect(links[0]!.inbox.filter((f) => f.type === 'history-req')).toHaveLength(1);
    links[0]!.send({ type: 'history-batch', messages: [flood.at(-1)!], more: false });
    await eventually(() => expect(a.mesh.counters().authorThrottledDropped).toBe(2));
    expect(fromMallory(a)).toBe(AUTHOR_MESSAGE_BUDGET.burst);
    expect(links[0]!.closed()).toBe(false);
  });

  it('stores an author’s live bytes up to its storage budget (N) and drops the message past it (N+1)', async () => {
    const { peers, links } = await room(1, [0]);
    const [a] = peers as [SimPeer];
    const big = await forgeMany(12, { body: '€'.repeat(MAX_BODY_CHARS) }); // ~48 KB each
    const fits = Math.floor(AUTHOR_STORAGE_BUDGET.burst / utf8Length(JSON.stringify(big[0])));
    expect(fits).toBeLessThan(big.length);
    for (const message of big) links[0]!.send({ type: 'chat', hops: 1, message });
    await eventually(() => expect(a.mesh.counters().authorThrottledDropped).toBe(big.length - fits));
    expect(fromMallory(a)).toBe(fits);
  });

  it('answers repeated history requests only within the requester’s byte budget', async () => {
    const { peers, links } = await room(1, [0]);
    const [a] = peers as [SimPeer];
    // ~48 KB messages: every full answer is a ~240 KB frame.
    for (const m of await forgeMany(100, { body: '€'.repeat(MAX_BODY_CHARS), author: peerIdOf(77) })) await a.store.put(m);
    const answers = (): Extract<PeerMessage, { type: 'history-batch' }>[] =>
      links[0]!.inbox.flatMap((f) => (f.type === 'history-batch' ? [f] : []));
    const requests = 200; // 37-byte requests; unbounded answers would be ~48 MB
    for (let i = 0; i < requests; i++) links[0]!.send({ type: 'history-req', vector: {} });
    await eventually(() => expect(answers()).toHaveLength(requests));
    const answered = answers().reduce((sum, f) => sum + utf8Length(JSON.stringify(f)), 0);
    expect(answered).toBeLessThanOrEqual(ANSWER_BUDGET.burst + MAX_PEER_FRAME_BYTES);
    expect(answered).toBeGreaterThan(ANSWER_BUDGET.burst - MAX_PEER_FRAME_BYTES);
    expect(answers().at(-1)).toEqual({ type: 'history-batch', messages: [], more: false });
    expect(a.mesh.counters().historyAnswersLimited).toBeGreaterThan(0);
    // Once the budget refilled, the requester is answered again.
    net!.clock.advance(Math.ceil((MAX_PEER_FRAME_BYTES / ANSWER_BUDGET.perSecond) * 1000));
    links[0]!.send({ type: 'history-req', vector: {} });
    await eventually(() => expect(answers()).toHaveLength(requests + 1));
    expect(answers().at(-1)?.messages.length).toBeGreaterThan(0);
  });

  it('never answers with more messages than the request’s limit', async () => {
    const { peers, links } = await room(1, [0]);
    const [a] = peers as [SimPeer];
    for (const m of await forgeMany(10, { author: peerIdOf(77) })) await a.store.put(m);
    links[0]!.send({ type: 'history-req', vector: {}, limit: 3 });
    await eventually(() => expect(links[0]!.inbox.filter((f) => f.type === 'history-batch')).toEqual([
      expect.objectContaining({ messages: expect.any(Array), more: true }),
    ]));
    const batch = links[0]!.inbox.find((f) => f.type === 'history-batch');
    expect(batch?.type === 'history-batch' && batch.messages.length).toBe(3);
  });

  it('drops and counts a history batch nobody asked for, and its `more` does not make it pull', async () => {
    const { peers, links } = await room(1, [0]);
    const [a] = peers as [SimPeer];
    const requestsSeen = (): number => links[0]!.inbox.filter((f) => f.type === 'history-req').length;
    await eventually(() => expect(requestsSeen()).toBe(1));
    links[0]!.send({ type: 'history-batch', messages: [], more: false }); // the answer to that request
    links[0]!.send({ type: 'history-batch', messages: await forgeMany(5), more: true });
    links[0]!.send({ type: 'name', name: 'sentinel' }); // handled in order: after it, both batches were
    await eventually(() => expect(a.mesh.peers().map((p) => p.name)).toContain('sentinel'));
    expect(a.mesh.counters().unsolicitedBatchesDropped).toBe(1);
    expect(fromMallory(a)).toBe(0);
    expect(requestsSeen()).toBe(1);
  });

  it('pulls at most its pull budget (N) from a peer that always answers `more`, and asks no more (N+1)', async () => {
    let served = 0;
    const fresh = forgeMany(PULL_BUDGET.burst + 2 * DEFAULT_MESH_OPTIONS.historyBatchSize);
    const answer = (message: PeerMessage, raw: RawPeer): void => {
      if (message.type !== 'history-req' || served >= 60) return;
      const start = served++ * DEFAULT_MESH_OPTIONS.historyBatchSize;
      void fresh.then((all) => raw.send({ type: 'history-batch', messages: all.slice(start, start + DEFAULT_MESH_OPTIONS.historyBatchSize), more: true }));
    };
    const { peers } = await room(1, [0], answer);
    const [a] = peers as [SimPeer];
    await eventually(() => expect(a.mesh.counters().historyPullsLimited).toBeGreaterThan(0), 20_000);
    expect(fromMallory(a)).toBe(PULL_BUDGET.burst);
    expect(served).toBe(PULL_BUDGET.burst / DEFAULT_MESH_OPTIONS.historyBatchSize);
  }, 30_000);

  it('cannot make the topology view or the room-size estimate grow past its per-link bounds', async () => {
    const { peers, links } = await room(3, [0]);
    const [a] = peers as [SimPeer, SimPeer, SimPeer];
    net!.clock.advance(DEFAULT_MESH_OPTIONS.pingIntervalMs); // the honest peers announce themselves
    await eventually(() => expect(a.mesh.memory().gossipedRoomSize).toBe(2));
    const entries: TopologyEntryFrame[] = Array.from({ length: 1025 }, (_, i) => ({
      peerId: peerIdOf(20_000 + i), name: `ghost ${i}`, version: 1, neighbours: [],
    }));
    const gossip = (list: TopologyEntryFrame[]): void => {
      for (let i = 0; i < list.length; i += MAX_TOPOLOGY_ENTRIES) links[0]!.send({ type: 'topology', entries: list.slice(i, i + MAX_TOPOLOGY_ENTRIES) });
    };
    const ghosts = (): number => a.mesh.topology().filter((e) => e.name.startsWith('ghost')).length;
    // N: up to the per-link claim cap, every relayed entry is shown ...
    gossip(entries.slice(0, MAX_TOPOLOGY_CLAIMS_PER_LINK));
    await eventually(() => expect(ghosts()).toBe(MAX_TOPOLOGY_CLAIMS_PER_LINK));
    expect(a.mesh.counters().topologyClaimsDropped).toBe(0);
    // ... but only MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK of them count toward the room size.
    expect(a.mesh.memory().gossipedRoomSize).toBe(2 + MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK);
    // N+1 and on: dropped and counted.
    gossip(entries.slice(MAX_TOPOLOGY_CLAIMS_PER_LINK));
    await eventually(() => expect(a.mesh.counters().topologyClaimsDropped).toBe(1025 - MAX_TOPOLOGY_CLAIMS_PER_LINK));
    expect(ghosts()).toBe(MAX_TOPOLOGY_CLAIMS_PER_LINK);
    // Attributed to Mallory's link: gone with it.
    links[0]!.wire.cut();
    await eventually(() => expect(ghosts()).toBe(0));
    expect(a.mesh.memory().gossipedRoomSize).toBe(2);
  });
});
