import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS, MAX_COUNTER, type Mesh, PROTOCOL_VERSION, createIdentity, createMesh, createSignatureVerifier, generateIdentityKeyPair, toBase64url } from '../src/index';
import { type MemoryHistory, createFakeClock, createMemoryHistory } from '../src/testing/index';
import { createLamportClock } from '../src/mesh/lamport';
import { attachRawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, peerIdOf, ROOM, type SimNetwork, type SimPeer, uuid } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

describe('author streams', () => {
  it('continues one stream across 20 reloads: the version vector gains one entry, not 20', async () => {
    const identity = await createIdentity(await generateIdentityKeyPair());
    const store: MemoryHistory = createMemoryHistory();
    const clock = createFakeClock();
    const open = (load: number): Mesh =>
      createMesh({
        self: { peerId: peerIdOf(100 + load), name: 'ada' }, room: ROOM, identity, verifier: createSignatureVerifier(),
        store, clock, newId: () => uuid(7, load),
      });
    for (let load = 0; load < 20; load++) {
      const mesh = open(load);
      const sent = await mesh.send(`load ${load}`);
      expect(sent.seq).toBe(load + 1);
      mesh.close();
    }
    const vector = await store.vector(ROOM);
    expect(Object.values(vector)).toEqual([20]);
  });

  it('gives two writers of one identity (two tabs) their own streams, so neither forks the other', async () => {
    const identity = await createIdentity(await generateIdentityKeyPair());
    const store = createMemoryHistory();
    const clock = createFakeClock();
    const tabs = [0, 1].map((slot) =>
      createMesh({
        self: { peerId: peerIdOf(200 + slot), name: 'ada', streamSlot: slot }, room: ROOM, identity,
        verifier: createSignatureVerifier(), store, clock, newId: () => uuid(8, slot),
      }),
    );
    const [first, second] = await Promise.all(tabs.map((tab) => tab.send('hello')));
    expect(first!.author).not.toBe(second!.author);
    expect(first!.seq).toBe(1);
    expect(second!.seq).toBe(1);
    expect(Object.keys(await store.vector(ROOM))).toHaveLength(2);
    for (const tab of tabs) tab.close();
  });
});

describe('the hybrid logical clock', () => {
  it('admits times up to MAX_CLOCK_SKEW_MS ahead of the wall clock and refuses one more', () => {
    const clock = createLamportClock(() => 1_000_000);
    expect(clock.admits(1_000_000 + MAX_CLOCK_SKEW_MS)).toBe(true);
    expect(clock.admits(1_000_000 + MAX_CLOCK_SKEW_MS + 1)).toBe(false);
    clock.observe(1_000_000 + MAX_CLOCK_SKEW_MS + 1);
    expect(clock.tick()).toBe(1_000_000);
  });

  it('ignores stored times that are not valid counters (a corrupt row read back)', () => {
    const clock = createLamportClock(() => 0);
    for (const bad of [Number.NaN, -1, 1.5, MAX_COUNTER, Number.POSITIVE_INFINITY]) clock.observe(bad);
    expect(clock.tick()).toBe(1);
  });

  it('stamps a clock running years ahead no further than half the skew past the room’s time', () => {
    const clock = createLamportClock(() => 2 ** 47);
    clock.observe(2 ** 47 - 3_600_000); // the room as others see it, an hour behind our (wrong) clock
    expect(clock.tick()).toBe(2 ** 47 - 3_600_000 + MAX_CLOCK_SKEW_MS / 2);
  });

  it('follows the wall clock and stays causal past observed times', () => {
    let now = 5_000;
    const clock = createLamportClock(() => now);
    expect(clock.tick()).toBe(5_000);
    expect(clock.tick()).toBe(5_001);
    clock.observe(9_000);
    expect(clock.tick()).toBe(9_001);
    now = 20_000;
    expect(clock.tick()).toBe(20_000);
  });
});

describe('peers of another protocol version', () => {
  it('refuses the link and says which version the peer runs', async () => {
    net = await createSimNetwork({ size: 1 });
    const [a] = net.peers as [SimPeer];
    const versions: number[] = [];
    a.mesh.on('version-mismatch', ({ version }) => versions.push(version));
    const raw = await attachRawPeer(a, peerIdOf(70), { handshake: false });
    const identity = await createIdentity(await generateIdentityKeyPair());
    raw.send({ type: 'hello', v: PROTOCOL_VERSION - 1, room: ROOM, peerId: peerIdOf(70), name: 'old', publicKey: identity.publicKey, nonce: toBase64url(new Uint8Array(16)) });
    await eventually(() => expect(raw.closed()).toBe(true));
    expect(versions).toEqual([PROTOCOL_VERSION - 1]);
  });
});
