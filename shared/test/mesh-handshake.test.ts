import { afterEach, describe, expect, it } from 'vitest';
import { type LinkCloseReason, type MeshEvents } from '../src/index';
import { createMemoryLinkPair } from '../src/testing/index';
import { createSimNetwork, eventually, onlineCount, type SimNetwork } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

function closeReasons(peer: { mesh: { on: SimNetwork['peers'][number]['mesh']['on'] } }): LinkCloseReason[] {
  const reasons: LinkCloseReason[] = [];
  peer.mesh.on('link-closed', (e: MeshEvents['link-closed']) => reasons.push(e.reason));
  return reasons;
}

describe('link handshake', () => {
  it('authenticates both sides and shows each other online with name and fingerprint', async () => {
    net = await createSimNetwork({ size: 2 });
    const [a, b] = net.peers as [SimNetwork['peers'][number], SimNetwork['peers'][number]];
    net.connect(0, 1);
    await eventually(() => expect(onlineCount(a) + onlineCount(b)).toBe(2));
    const seenByA = a.mesh.peers()[0];
    expect(seenByA).toMatchObject({ peerId: b.id, name: 'peer 1', fingerprint: b.identity.fingerprint, state: 'online' });
  });

  it('tells a peer of a rename made while their link was still handshaking', async () => {
    net = await createSimNetwork({ size: 2 });
    const [a, b] = net.peers as [SimNetwork['peers'][number], SimNetwork['peers'][number]];
    net.connect(0, 1);
    a.mesh.setName('Ada'); // the hello already went out under the old name
    await eventually(() => expect(b.mesh.peers()[0]).toMatchObject({ peerId: a.id, name: 'Ada', state: 'online' }));
  });

  it('closes a link that leads back to itself', async () => {
    net = await createSimNetwork({ size: 1 });
    const [a] = net.peers as [SimNetwork['peers'][number]];
    const reasons = closeReasons(a);
    const wire = createMemoryLinkPair();
    a.mesh.addLink(wire.a);
    a.mesh.addLink(wire.b);
    // Whichever end reads the hello first refuses; the other end then sees the wire close.
    await eventually(() => expect(reasons.sort()).toEqual(['REMOTE_CLOSED', 'SELF_LINK']));
    expect(a.mesh.peers()).toEqual([]);
  });

  it('closes a link whose peer is not the one signaling announced', async () => {
    net = await createSimNetwork({ size: 3 });
    const [a, b, c] = net.peers as [SimNetwork['peers'][number], SimNetwork['peers'][number], SimNetwork['peers'][number]];
    const reasons = closeReasons(a);
    const wire = createMemoryLinkPair();
    a.mesh.addLink(wire.a, c.id);
    b.mesh.addLink(wire.b, a.id);
    await eventually(() => expect(reasons).toContain('UNEXPECTED_PEER'));
    expect(onlineCount(a)).toBe(0);
  });

  it('refuses a peer from another room', async () => {
    net = await createSimNetwork({ size: 1 });
    const other = await createSimNetwork({ size: 2, room: 'other-room' as never });
    const [a] = net.peers as [SimNetwork['peers'][number]];
    const [, stranger] = other.peers as [SimNetwork['peers'][number], SimNetwork['peers'][number]];
    const reasons = closeReasons(a);
    const strangerReasons = closeReasons(stranger);
    const wire = createMemoryLinkPair();
    a.mesh.addLink(wire.a);
    stranger.mesh.addLink(wire.b);
    await eventually(() => expect([...reasons, ...strangerReasons]).toContain('WRONG_ROOM'));
    expect(onlineCount(a) + onlineCount(stranger)).toBe(0);
    other.close();
  });

  it.each([1, 2, 3])('keeps exactly one of %i duplicate links, the same one on both sides', async (extra) => {
    net = await createSimNetwork({ size: 2 });
    const [a, b] = net.peers as [SimNetwork['peers'][number], SimNetwork['peers'][number]];
    const wires = [net.connect(0, 1)];
    // Glare: both sides dial at once, so each side adopts the other's link while handshaking its own.
    for (let i = 0; i < extra; i++) wires.push(i % 2 ? net.connect(0, 1) : net.connect(1, 0));
    await eventually(() => {
      expect(onlineCount(a)).toBe(1);
      expect(onlineCount(b)).toBe(1);
      expect(a.mesh.counters().framesSent).toBeGreaterThan(0);
    });
    // Exactly one wire survives: both ends chose the same link, so it was not closed from either side.
    await eventually(() => expect(wires.filter((w) => w.a.send('{"type":"noop"}')).length).toBe(1));
    const message = await a.mesh.send('after glare');
    await eventually(() => expect(b.received.map((m) => m.id)).toEqual([message.id]));
  });
});
