import { afterEach, describe, expect, it } from 'vitest';
import {
  type LegacyMessage,
  type RoomEvent,
  createIdentity,
  createSignatureVerifier,
  generateIdentityKeyPair,
  type Identity,
  DEFAULT_MESH_OPTIONS,
  type LinkCloseReason,
  MAX_BODY_CHARS,
  signChatMessage,
  verifyEvent,
} from '../src/index';
import { attachRawPeer, type RawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, type SimNetwork, type SimPeer, uuid } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

/** A — Mallory — B: every message between the honest peers A and B passes through Mallory. */
async function setup(options = {}) {
  net = await createSimNetwork({ size: 2, options });
  const [a, b] = net.peers as [SimPeer, SimPeer];
  const mallory = await createIdentity(await generateIdentityKeyPair());
  const toA = await attachRawPeer(a, peerIdOf(66), { handshake: true, identity: mallory, autoPong: true });
  const toB = await attachRawPeer(b, peerIdOf(66), { handshake: true, identity: mallory, autoPong: true });
  await eventually(() => expect(onlineCount(a) + onlineCount(b)).toBe(2));
  return { a, b, mallory, toA, toB };
}

const chatsIn = (raw: RawPeer): RoomEvent[] => raw.inbox.flatMap((f) => (f.type === 'chat' ? [f.message] : []));

/** Everything B delivered verifies against the key it names: nobody's words were put in another's mouth. */
async function expectAllAuthentic(peer: SimPeer): Promise<void> {
  const verifier = createSignatureVerifier();
  for (const m of peer.received) expect(await verifyEvent(verifier, m)).toBe('ok');
}

let forgeCounter = 0;
const forge = (identity: Identity, patch: Partial<LegacyMessage>) =>
  signChatMessage(identity, {
    id: uuid(0xbad, ++forgeCounter), room: ROOM, author: peerIdOf(66), seq: forgeCounter, lamport: 1, sentAt: 0,
    name: 'mallory', body: 'forged', publicKey: identity.publicKey, ...patch,
  });

describe('a malicious relay', () => {
  it('cannot get an altered message delivered, and cannot block the genuine one by sending its copy first', async () => {
    const { a, b, toA, toB } = await setup();
    const genuine = await a.mesh.send('pay Bob 10');
    await eventually(() => expect(chatsIn(toA).map((m) => m.id)).toEqual([genuine.id]));
    for (const body of ['pay Mallory 10', 'pay Bob 1000']) toB.send({ type: 'chat', hops: 1, message: { ...genuine, body } });
    toB.send({ type: 'chat', hops: 1, message: { ...genuine, sentAt: genuine.sentAt + 1 } });
    await eventually(() => expect(b.mesh.counters().badSignatureDropped).toBe(3));
    expect(b.received).toEqual([]);
    toB.send({ type: 'chat', hops: 1, message: genuine });
    await eventually(() => expect(b.received.map((m) => m.body)).toEqual(['pay Bob 10']));
  });

  it('cannot make a replayed message appear twice', async () => {
    const { a, b, toA, toB } = await setup();
    const genuine = await a.mesh.send('once');
    await eventually(() => expect(chatsIn(toA)).toHaveLength(1));
    for (let i = 0; i < 50; i++) toB.send({ type: 'chat', hops: 1 + (i % 5), message: genuine });
    // B asked Mallory for history when the link opened: the first batch is an answer (one more duplicate),
    // the second is unsolicited and refused unread.
    toB.send({ type: 'history-batch', messages: [genuine], more: false });
    toB.send({ type: 'history-batch', messages: [genuine], more: false });
    toB.send({ type: 'name', name: 'sentinel' }); // frames are handled in order: once seen, all were
    await eventually(() => expect(b.mesh.peers().map((p) => p.name)).toContain('sentinel'));
    expect(b.mesh.counters().historyMessagesReceived).toBe(1);
    expect(b.mesh.counters().duplicatesDropped).toBe(50);
    expect(b.received.map((m) => m.id)).toEqual([genuine.id]);
  });

  it('cannot sign in the name of another key, and loses a squatted session id to its proven owner', async () => {
    const { a, b, mallory, toB } = await setup();
    // Claiming A's key without A's private key: the signature cannot match.
    const withAKey = { ...(await forge(mallory, { author: a.id, name: 'peer 0' })), publicKey: a.identity.publicKey };
    // Claiming A's session id with Mallory's own key: authentic, but under Mallory's key (and fingerprint).
    const squat = await forge(mallory, { author: a.id, name: 'peer 0', body: 'I am A' });
    toB.send({ type: 'chat', hops: 1, message: withAKey });
    toB.send({ type: 'chat', hops: 1, message: squat });
    await eventually(() => expect(b.received.map((m) => m.id)).toEqual([squat.id]));
    expect(b.received[0]?.publicKey).toBe(mallory.publicKey);
    expect(b.mesh.counters().badSignatureDropped).toBe(1);
    // A now links to B directly: its handshake proves A's id, overriding Mallory's claim.
    const reasons: LinkCloseReason[] = [];
    b.mesh.on('link-closed', (e) => reasons.push(e.reason));
    net!.connect(0, 1);
    await eventually(() => expect(onlineCount(b)).toBe(2));
    const real = await a.mesh.send('the real A');
    await eventually(() => expect(b.received.map((m) => m.body)).toContain('the real A'));
    toB.send({ type: 'chat', hops: 1, message: await forge(mallory, { author: a.id, seq: 99 }) });
    await eventually(() => expect(b.mesh.counters().authorKeyMismatchDropped).toBe(1));
    expect(reasons).toEqual([]);
    expect(b.received.filter((m) => m.publicKey === a.identity.publicKey).map((m) => m.id)).toEqual([real.id]);
    await expectAllAuthentic(b);
  });

  it('cannot grow the honest peer’s seen cache or author table past their bounds by flooding', async () => {
    const { b, toB } = await setup({ seenMaxEntries: 100, maxKnownAuthors: 50 });
    // 150 keys, 10 messages each: every key stays within its author budget (AUTHOR_MESSAGE_BUDGET).
    const keys = await Promise.all(Array.from({ length: 150 }, async () => createIdentity(await generateIdentityKeyPair())));
    const flood = await Promise.all(
      Array.from({ length: 1500 }, (_, i) => forge(keys[i % keys.length]!, { author: peerIdOf(10_000 + i), seq: 1, body: `spam ${i}` })),
    );
    // Paced within the link's frame budget (LINK_FRAME_BUDGET): the bounds must hold for what gets in.
    for (let start = 0; start < flood.length; start += 500) {
      for (const message of flood.slice(start, start + 500)) toB.send({ type: 'chat', hops: 1, message });
      await eventually(() => expect(b.received).toHaveLength(start + 500), 20_000);
      for (let t = 0; t < 5; t++) net!.clock.advance(1000);
    }
    expect(b.mesh.counters().overBudgetDropped).toBe(0);
    expect(b.mesh.memory().seenIds).toBeLessThanOrEqual(100);
    expect(b.mesh.memory().knownAuthors).toBeLessThanOrEqual(50);
    await expectAllAuthentic(b);
  }, 30_000);

  it('is cut off when it queues more than the honest peer can verify', async () => {
    const { b, mallory, toB } = await setup();
    const reasons: LinkCloseReason[] = [];
    b.mesh.on('link-closed', (e) => reasons.push(e.reason));
    const big = await forge(mallory, { body: '€'.repeat(MAX_BODY_CHARS) }); // ~48 KB each
    // History batches are not charged to the link's byte budget (they are answers), so only the
    // queue bound stops a stream of them faster than they can be handled.
    const batch = Array.from({ length: 5 }, (_, i) => ({ ...big, id: uuid(0xf00, i) }));
    for (let i = 0; i < 400 && !toB.closed(); i++) toB.send({ type: 'history-batch', messages: batch, more: false });
    await eventually(() => expect(reasons).toContain('OVERLOADED'));
    expect(b.mesh.memory().links).toBe(0);
  });

  it('is cut off and banned when it keeps sending over its byte budget', async () => {
    const { b, mallory, toB } = await setup();
    const reasons: LinkCloseReason[] = [];
    b.mesh.on('link-closed', (e) => reasons.push(e.reason));
    const big = await forge(mallory, { body: '€'.repeat(MAX_BODY_CHARS) }); // ~48 KB frame
    for (let i = 0; i < 400 && !toB.closed(); i++) toB.send({ type: 'chat', hops: 1, message: { ...big, id: uuid(0xf00, i) } });
    await eventually(() => expect(reasons).toEqual(['OVER_BUDGET']));
    expect(b.mesh.memory().links).toBe(0);
    expect(b.mesh.bannedUntil(peerIdOf(66))).toBe(net!.clock.now() + DEFAULT_MESH_OPTIONS.banMs);
    expect(b.received.length).toBeLessThan(100);
  });
});
