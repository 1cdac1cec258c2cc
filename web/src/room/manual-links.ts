import { type PeerId, type PeerLink, parsePeerMessage } from '@shoal/shared';

/**
 * Links made by pasted invites. The connector knows whom it dialled; an invite's peer is only known
 * from the hello it sends first, so the links are wrapped to read it. The mesh checks that hello's proof
 * and closes the link if it fails, so an open link's peer id is as trustworthy as the mesh's.
 */
export interface ManualLinks {
  /** Wraps a freshly opened link before it goes to the mesh. */
  track(link: PeerLink): PeerLink;
  /** Peers with an open manual link whose hello arrived. */
  linkedPeerIds(): PeerId[];
  /** Closes the manual link to `peerId` and closes any later one from it. True when one was open. */
  cut(peerId: PeerId): boolean;
}

export function createManualLinks(): ManualLinks {
  /** Open links, with the peer once its hello arrived. */
  const open = new Map<PeerLink, PeerId | null>();
  const blocked = new Set<PeerId>();

  /** Records the link's peer from its hello; false when that peer was cut (the link is closed). */
  const identify = (link: PeerLink, frame: string): boolean => {
    const parsed = parsePeerMessage(frame);
    if (!parsed.ok || parsed.value.type !== 'hello') return true;
    const peer = parsed.value.peerId;
    if (blocked.has(peer)) {
      open.delete(link);
      link.close();
      return false;
    }
    open.set(link, peer);
    return true;
  };

  return {
    track(link) {
      open.set(link, null);
      // One registration on the inner link, fanned out: a PeerLink may keep a single close handler.
      const closeHandlers: Array<() => void> = [];
      link.onClose(() => {
        open.delete(link);
        for (const handler of closeHandlers) handler();
      });
      return {
        send: (frame) => link.send(frame),
        sendBytes: (bytes) => link.sendBytes(bytes),
        bufferedAmount: () => link.bufferedAmount(),
        onBytes: (handler) => link.onBytes(handler),
        close: () => link.close(),
        onClose: (handler) => void closeHandlers.push(handler),
        onMessage(handler) {
          let first = true;
          link.onMessage((frame) => {
            // The protocol's first frame is the hello; the mesh refuses a link that starts otherwise.
            if (first) {
              first = false;
              if (!identify(link, frame)) return;
            }
            handler(frame);
          });
        },
      };
    },
    linkedPeerIds: () => [...open.values()].filter((peer): peer is PeerId => peer !== null),
    cut(peer) {
      blocked.add(peer);
      let found = false;
      for (const [link, linkedPeer] of open) {
        if (linkedPeer !== peer) continue;
        found = true;
        open.delete(link);
        link.close();
      }
      return found;
    },
  };
}
