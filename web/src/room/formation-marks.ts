import type { PeerInfo } from '@shoal/shared';
import type { CreatePeerConnection, OpenSocket } from '@shoal/shared/link';

/**
 * Where a tab's time goes while a room forms (issue 14): `performance.mark('shoal:<stage>')` at each
 * stage, read by bench:mesh and visible in the browser's performance panel. Marks are timestamps since
 * navigation, so stages of one tab add up without any clock of ours.
 */
export const MARK_PREFIX = 'shoal:';

/**
 * Numbered marks (`link-3`, `online-3`) stop here: they describe how a room forms, and a tab open for
 * weeks would otherwise grow the browser's timeline with every link that comes and goes.
 */
const MAX_NUMBERED_MARKS = 64;

export function markStage(stage: string): void {
  performance.mark(MARK_PREFIX + stage);
}

/** Marks `${stage}-1`, `${stage}-2`, … each time `next()` is called, up to MAX_NUMBERED_MARKS. */
function numberedMarks(stage: string): { next(): void } {
  let count = 0;
  return {
    next() {
      if (count >= MAX_NUMBERED_MARKS) return;
      count += 1;
      markStage(`${stage}-${count}`);
    },
  };
}

/**
 * Wraps a connection factory to mark the first connection created (`dial`), the first signal it emits
 * (`first-signal`: an offer, or an answer) and each data channel that opens (`link-n`).
 */
export function markedConnections(create: CreatePeerConnection): CreatePeerConnection {
  let dialled = false;
  let signalled = false;
  const links = numberedMarks('link');
  return (options) => {
    if (!dialled) markStage('dial');
    dialled = true;
    const connection = create(options);
    connection.onSignal(() => {
      if (!signalled) markStage('first-signal');
      signalled = true;
    });
    connection.onConnect(() => links.next());
    return connection;
  };
}

/**
 * Marks `online-n` when n peers first have finished the handshake (hello verified, room proven): the
 * moment a link carries chat, later than its data channel opening.
 */
export function markOnlinePeers(): (peers: readonly PeerInfo[]) => void {
  const online = numberedMarks('online');
  let highest = 0;
  return (peers) => {
    const count = peers.filter((peer) => peer.state === 'online').length;
    for (; highest < count; highest++) online.next();
  };
}

/** Wraps a socket opener to mark when the first socket to the signal server opens (`socket-open`). */
export function markedSocket(open: OpenSocket): OpenSocket {
  let opened = false;
  return (url, handlers) => open(url, {
    ...handlers,
    onOpen() {
      if (!opened) markStage('socket-open');
      opened = true;
      handlers.onOpen();
    },
  });
}
