import { afterEach, describe, expect, it } from 'vitest';
import { createIdentity, generateIdentityKeyPair, type Identity, type LinkCloseReason, MAX_BAD_FRAMES_PER_LINK, MAX_RELAYED_PENDING, MAX_RELAYED_PENDING_PER_NEIGHBOUR, type MeshEvents, type PeerId, type RelaySignalFrame, signRelaySignal } from '../src/index';
import { createMemoryLinkPair } from '../src/testing/index';
import { attachRawPeer, type RawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, type SimNetwork, type SimPeer, uuid } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

const offer = { type: 'offer', sdp: 'v=0 hostile' };
let frameCounter = 0;

/** A relay-signal as its (claimed) originator would send it, signed with `identity`. */
async function signedSignal(identity: Identity, from: PeerId, to: PeerId, data: Record<string, unknown> = offer): Promise<RelaySignalFrame> {
  const content = { id: uuid(0x5167, ++frameCounter), from, to, data };
  const signature = await signRelaySignal(identity, ROOM, content);
  if (signature === null) throw new Error('unsignable test signal');
  return { type: 'relay-signal', ...content, hops: 1, publicKey: identity.publicKey, signature };
}

/** Every `relay-signal` event a peer raised: what the web app would have opened a connection for. */
function signalsAt(peer: SimPeer): MeshEvents['relay-signal'][] {
  const seen: MeshEvents['relay-signal'][] = [];
  peer.mesh.on('relay-signal', (payload) => seen.push(payload));
  return seen;
}

function closesAt(peer: SimPeer): Array<{ peerId: PeerId | null; reason: LinkCloseReason }> {
  const closes: Array<{ peerId: PeerId | null; reason: LinkCloseReason }> = [];
  peer.mesh.on('link-closed', (c) => closes.push(c));
  return closes;
}

async function hostileNeighbour(target: SimPeer, n: number): Promise<RawPeer> {
  const raw = await attachRawPeer(target, peerIdOf(n), { handshake: true, autoPong: true });
  await eventually(() => expect(target.mesh.peers().find((p) => p.peerId === raw.peerId)?.state).toBe('online'));
  return raw;
}

describe('relayed signaling under a hostile neighbour', () => {
  it('keeps pending relayed peers within the per-neighbour cap while one floods offers under fake ids, and an honest newcomer still links', async () => {
    // 0 is the victim; 1 an honest relay; 2 the newcomer, linked to 1 only.
    net = await createSimNetwork({ size: 3 });
    const [victim, relay, newcomer] = net.peers as [SimPeer, SimPeer, SimPeer];
    net.connect(0, 1);
    net.connect(1, 2);
    const signals = signalsAt(victim);
    // The app's part: a relayed offer from a room member becomes a link bound to the signing key.
    victim.mesh.on('relay-signal', ({ from, publicKey }) => {
      if (from !== newcomer.id) return;
      const wire = createMemoryLinkPair();
      victim.mesh.addLink(wire.a, from, publicKey);
      newcomer.mesh.addLink(wire.b, victim.id);
    });
    const mallory = await hostileNeighbour(victim, 66);
    const flood = 100;
    for (let i = 0; i < flood; i++) mallory.send(await signedSignal(mallory.identity, peerIdOf(1000 + i), victim.id));
    await eventually(() => expect(victim.mesh.counters().relaySignalsOverCap).toBe(flood - MAX_RELAYED_PENDING_PER_NEIGHBOUR));
    expect(new Set(signals.map((s) => s.from)).size).toBe(MAX_RELAYED_PENDING_PER_NEIGHBOUR);
    expect(mallory.closed()).toBe(false);

    expect(newcomer.mesh.relaySignal(victim.id, offer)).toBe(true);
    await eventually(() => expect(victim.mesh.peers().find((p) => p.peerId === newcomer.id)?.state).toBe('online'));
    expect(signals.at(-1)).toMatchObject({ from: newcomer.id, publicKey: newcomer.identity.publicKey, via: relay.id });
  });

  it('admits MAX_RELAYED_PENDING pending peers in all and refuses the next, however many neighbours relay them', async () => {
    net = await createSimNetwork({ size: 1 });
    const [victim] = net.peers as [SimPeer];
    const signals = signalsAt(victim);
    const neighbours = Math.ceil((MAX_RELAYED_PENDING + 1) / MAX_RELAYED_PENDING_PER_NEIGHBOUR);
    let sent = 0;
    for (let n = 0; n < neighbours; n++) {
      const raw = await hostileNeighbour(victim, 70 + n);
      for (let i = 0; i < MAX_RELAYED_PENDING_PER_NEIGHBOUR && sent < MAX_RELAYED_PENDING + 1; i++, sent++) {
        raw.send(await signedSignal(raw.identity, peerIdOf(2000 + sent), victim.id));
      }
    }
    await eventually(() => expect(victim.mesh.counters().relaySignalsOverCap).toBe(1));
    expect(signals).toHaveLength(MAX_RELAYED_PENDING);
  });

  it('frees pending slots that never became links once the handshake timeout has passed', async () => {
    net = await createSimNetwork({ size: 1 });
    const [victim] = net.peers as [SimPeer];
    const signals = signalsAt(victim);
    const mallory = await hostileNeighbour(victim, 66);
    for (let i = 0; i <= MAX_RELAYED_PENDING_PER_NEIGHBOUR; i++) mallory.send(await signedSignal(mallory.identity, peerIdOf(3000 + i), victim.id));
    await eventually(() => expect(victim.mesh.counters().relaySignalsOverCap).toBe(1));
    expect(victim.mesh.memory().links).toBe(1);
    // Mallory answers pings (autoPong), so only the slots age, not its link.
    const pings = () => mallory.inbox.filter((f) => f.type === 'ping').length;
    const before = pings();
    for (let tick = 1; tick <= 6; tick++) {
      net.clock.advance(2000);
      await eventually(() => expect(pings()).toBe(before + tick));
    }
    expect(mallory.closed()).toBe(false);
    mallory.send(await signedSignal(mallory.identity, peerIdOf(3100), victim.id));
    await eventually(() => expect(signals.map((s) => s.from)).toContain(peerIdOf(3100)));
  });

  it('never lets a spoofed offer or answer "from" a linked peer reach the app, and that link stays up', async () => {
    net = await createSimNetwork({ size: 2 });
    const [victim, friend] = net.peers as [SimPeer, SimPeer];
    net.connect(0, 1);
    await eventually(() => expect(onlineCount(victim)).toBe(1));
    const signals = signalsAt(victim);
    const closes = closesAt(victim);
    const mallory = await hostileNeighbour(victim, 66);
    mallory.send(await signedSignal(mallory.identity, friend.id, victim.id));
    mallory.send(await signedSignal(mallory.identity, friend.id, victim.id, { type: 'answer', sdp: 'v=0' }));
    // Even a frame carrying the friend's real key (with a signature it cannot make) is stopped first.
    mallory.send({ ...(await signedSignal(mallory.identity, friend.id, victim.id)), publicKey: friend.identity.publicKey });
    await eventually(() => expect(victim.mesh.counters().relaySignalsForOpenLink).toBe(3));
    expect(signals).toEqual([]);
    expect(closes).toEqual([]);
    expect(victim.mesh.peers().find((p) => p.peerId === friend.id)?.state).toBe('online');
  });

  it('drops and counts unsigned and wrongly signed signals without blaming the relay that forwarded them', async () => {
    net = await createSimNetwork({ size: 2 });
    const [victim, relay] = net.peers as [SimPeer, SimPeer];
    net.connect(0, 1);
    await eventually(() => expect(onlineCount(victim)).toBe(1));
    const signals = signalsAt(victim);
    const closes = closesAt(victim);
    // Mallory is linked to the relay only: every frame reaches the victim through an honest peer.
    const mallory = await hostileNeighbour(relay, 66);
    const other = await createIdentity(await generateIdentityKeyPair());
    const bad = MAX_BAD_FRAMES_PER_LINK + 5;
    for (let i = 0; i < bad; i++) {
      const frame = await signedSignal(mallory.identity, peerIdOf(4000 + i), victim.id);
      // Alternately: another key's claim, and a payload altered after signing.
      mallory.send(i % 2 === 0 ? { ...frame, publicKey: other.publicKey } : { ...frame, data: { type: 'offer', sdp: 'v=0 altered' } });
    }
    const { publicKey: _k, signature: _s, ...unsigned } = await signedSignal(mallory.identity, peerIdOf(4999), victim.id);
    const malformedBefore = relay.mesh.counters().malformedDropped;
    mallory.send(unsigned as unknown as RelaySignalFrame);
    await eventually(() => expect(victim.mesh.counters().relaySignalsBadSignature).toBe(bad));
    // The unsigned frame stopped at the first hop, whose shape check it failed.
    await eventually(() => expect(relay.mesh.counters().malformedDropped).toBe(malformedBefore + 1));
    expect(signals).toEqual([]);
    expect(closes).toEqual([]);
    expect(victim.mesh.peers().find((p) => p.peerId === relay.id)?.state).toBe('online');
  });

  it('refuses a link whose hello proves another key than the relayed signal that set it up', async () => {
    net = await createSimNetwork({ size: 1 });
    const [victim] = net.peers as [SimPeer];
    const closes = closesAt(victim);
    const mallory = await hostileNeighbour(victim, 66);
    const signals = signalsAt(victim);
    const fake = peerIdOf(5000);
    mallory.send(await signedSignal(mallory.identity, fake, victim.id));
    await eventually(() => expect(signals).toHaveLength(1));
    const signed = signals[0]!;
    expect(signed.publicKey).toBe(mallory.identity.publicKey);
    // Another key behind the link the signal set up: refused before any proof.
    const impostor = await attachRawPeer(victim, fake, { handshake: true, expectedKey: signed.publicKey });
    await eventually(() => expect(closes).toContainEqual({ peerId: null, reason: 'RELAY_KEY_MISMATCH' }));
    expect(impostor.closed()).toBe(true);
    // The key that signed: linked.
    const genuine = await attachRawPeer(victim, fake, { handshake: true, identity: mallory.identity, expectedKey: signed.publicKey });
    await eventually(() => expect(victim.mesh.peers().find((p) => p.peerId === fake)?.state).toBe('online'));
    expect(genuine.closed()).toBe(false);
  });
});
