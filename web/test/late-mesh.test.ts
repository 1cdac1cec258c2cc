import { type MeshEvents, type PeerId, type PeerLink, createEmitter } from '@shoal/shared';
import { createMemoryLinkPair } from '@shoal/shared/testing';
import { describe, expect, it } from 'vitest';
import { MAX_HELD_FRAMES, type MeshLinkSide, createLateMesh } from '@shoal/shared/link';
import { peerId } from './ids';

/** A mesh stand-in that records adopted links and relays, with events the test emits. */
function recordingMesh(relayOk = true) {
  const events = createEmitter<MeshEvents>();
  const links: Array<[PeerLink, PeerId | undefined]> = [];
  const relayed: PeerId[] = [];
  const mesh: MeshLinkSide = {
    addLink: (link, expected) => void links.push([link, expected]),
    roomSize: () => 0,
    relaySignal: (to) => {
      relayed.push(to);
      return relayOk;
    },
    on: events.on,
  };
  return { mesh, events, links, relayed };
}

const offer = { type: 'offer', sdp: 'v=0' } as const;
const closedSoon = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('late mesh', () => {
  it('holds links that open before the mesh exists and hands them over on bind', () => {
    const late = createLateMesh();
    const early = createMemoryLinkPair();
    late.addLink(early.a, peerId(2));
    const target = recordingMesh();
    late.bind(target.mesh);
    const later = createMemoryLinkPair();
    late.addLink(later.a, peerId(3));
    expect(target.links.map(([, id]) => id)).toEqual([peerId(2), peerId(3)]);
    // The held link reaches the mesh wrapped (see the next test); a link after bind goes straight in.
    expect(target.links[1]?.[0]).toBe(later.a);
  });

  it('keeps the frames a held link receives before the mesh exists and hands them over in order', async () => {
    const late = createLateMesh();
    const pair = createMemoryLinkPair();
    late.addLink(pair.a, peerId(2));
    // The peer is in its mesh already: its hello goes out the moment the channel opens.
    pair.b.send('hello');
    pair.b.send('hello-proof');
    await closedSoon();
    const frames: string[] = [];
    const target = recordingMesh();
    target.mesh.addLink = (link) => {
      link.onMessage((frame) => frames.push(frame));
      // The mesh answers at once, over the same channel underneath.
      link.send('my hello');
    };
    const back: string[] = [];
    pair.b.onMessage((frame) => back.push(frame));
    late.bind(target.mesh);
    pair.b.send('ping');
    await closedSoon();
    expect(frames).toEqual(['hello', 'hello-proof', 'ping']);
    expect(back).toEqual(['my hello']);
  });

  it(`keeps at most ${MAX_HELD_FRAMES} frames of a held link`, async () => {
    for (const sent of [MAX_HELD_FRAMES, MAX_HELD_FRAMES + 1]) {
      const late = createLateMesh();
      const pair = createMemoryLinkPair();
      late.addLink(pair.a, peerId(2));
      for (let i = 1; i <= sent; i++) pair.b.send(`f${i}`);
      await closedSoon();
      const frames: string[] = [];
      const target = recordingMesh();
      target.mesh.addLink = (link) => link.onMessage((frame) => frames.push(frame));
      late.bind(target.mesh);
      await closedSoon();
      expect(frames).toEqual(Array.from({ length: MAX_HELD_FRAMES }, (_, i) => `f${i + 1}`));
    }
  });

  it('drops a held link that closed before the mesh came', async () => {
    const late = createLateMesh();
    const pair = createMemoryLinkPair();
    late.addLink(pair.a, peerId(2));
    pair.cut();
    await closedSoon();
    const target = recordingMesh();
    late.bind(target.mesh);
    expect(target.links).toEqual([]);
  });

  it('subscribes handlers registered early once bound, and unsubscribes them on request', () => {
    const late = createLateMesh();
    const wants: PeerId[] = [];
    const signals: unknown[] = [];
    late.on('want-link', ({ peerId: id }) => wants.push(id));
    const off = late.on('relay-signal', ({ data }) => signals.push(data));
    const target = recordingMesh();
    late.bind(target.mesh);
    target.events.emit('want-link', { peerId: peerId(4), via: peerId(2) });
    target.events.emit('relay-signal', { from: peerId(4), data: offer, publicKey: 'k', via: peerId(2) });
    off();
    target.events.emit('relay-signal', { from: peerId(4), data: offer, publicKey: 'k', via: peerId(2) });
    expect(wants).toEqual([peerId(4)]);
    expect(signals).toEqual([offer]);
  });

  it('refuses to relay signals until bound, then relays through the mesh', () => {
    const late = createLateMesh();
    expect(late.relaySignal(peerId(5), offer)).toBe(false);
    const target = recordingMesh();
    late.bind(target.mesh);
    expect(late.relaySignal(peerId(5), offer)).toBe(true);
    expect(target.relayed).toEqual([peerId(5)]);
  });

  it('closes held links on close and any link that arrives after it', async () => {
    const late = createLateMesh();
    const held = createMemoryLinkPair();
    const closes: string[] = [];
    held.b.onClose(() => closes.push('held'));
    late.addLink(held.a, peerId(2));
    late.close();
    const after = createMemoryLinkPair();
    after.b.onClose(() => closes.push('after'));
    late.addLink(after.a, peerId(3));
    await closedSoon();
    expect(closes.sort()).toEqual(['after', 'held']);
    const target = recordingMesh();
    late.bind(target.mesh);
    expect(target.links).toEqual([]);
  });
});
