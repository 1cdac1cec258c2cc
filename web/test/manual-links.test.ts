import { PROTOCOL_VERSION, type PeerLink, encodePeerMessage } from '@shoal/shared';
import { createMemoryLinkPair } from '@shoal/shared/testing';
import { describe, expect, it } from 'vitest';
import { createManualLinks } from '../src/room/manual-links';
import { peerId, room } from './ids';

const helloFrom = (n: number) =>
  encodePeerMessage({
    type: 'hello', v: PROTOCOL_VERSION, room: room('lobby'), peerId: peerId(n), name: 'x', publicKey: 'A'.repeat(43), nonce: 'N'.repeat(22),
  });

/** A tracked manual link (our end) with the remote end to send from, and what the mesh side received. */
function trackedLink(links: ReturnType<typeof createManualLinks>) {
  const pair = createMemoryLinkPair();
  const wrapped: PeerLink = links.track(pair.a);
  const received: string[] = [];
  let closed = false;
  wrapped.onMessage((frame) => received.push(frame));
  wrapped.onClose(() => void (closed = true));
  return { remote: pair.b, received, closed: () => closed };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('manual links', () => {
  it('lists a manual link by the peer its hello names, until it closes', async () => {
    const links = createManualLinks();
    const link = trackedLink(links);
    expect(links.linkedPeerIds()).toEqual([]);
    link.remote.send(helloFrom(7));
    link.remote.send('{"type":"ping"}');
    await settle();
    expect(links.linkedPeerIds()).toEqual([peerId(7)]);
    expect(link.received).toEqual([helloFrom(7), '{"type":"ping"}']);
    link.remote.close();
    await settle();
    expect(links.linkedPeerIds()).toEqual([]);
  });

  it('takes the peer only from a first-frame hello', async () => {
    const links = createManualLinks();
    const link = trackedLink(links);
    link.remote.send('{"type":"ping"}');
    link.remote.send(helloFrom(7));
    await settle();
    expect(links.linkedPeerIds()).toEqual([]);
    expect(link.received).toHaveLength(2);
  });

  it('cuts the link to a peer and refuses its later links before the mesh sees them', async () => {
    const links = createManualLinks();
    const first = trackedLink(links);
    first.remote.send(helloFrom(7));
    await settle();
    expect(links.cut(peerId(7))).toBe(true);
    await settle();
    expect(first.closed()).toBe(true);
    expect(links.linkedPeerIds()).toEqual([]);
    const again = trackedLink(links);
    again.remote.send(helloFrom(7));
    await settle();
    expect(again.received).toEqual([]);
    expect(again.closed()).toBe(true);
    expect(links.cut(peerId(8))).toBe(false);
  });
});
