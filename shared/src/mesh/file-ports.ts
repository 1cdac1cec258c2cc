import type { PeerId } from '../ids';
import type { FileFrame } from '../protocol/peer-messages';

/**
 * The narrow seam between the mesh and the file swarm (shared/src/files): the mesh routes the file
 * frames of authenticated, open links to one attached handler and tells it when such links open and
 * close. File bytes travel as binary frames outside the chat budgets (link-budget.ts): the swarm bounds
 * them itself, since it only accepts bytes it asked for.
 */
export interface FilePort {
  /** The proven peer at the other end. */
  readonly peerId: PeerId;
  sendFrame(frame: FileFrame): boolean;
  sendBytes(bytes: Uint8Array): boolean;
  /** Bytes queued on the link (text and binary): bulk senders pause above their high-water mark. */
  bufferedAmount(): number;
  /** Counts one bad frame against the link: the mesh's abuse machinery closes it (ABUSE) and bans the peer. */
  strike(): void;
}

export interface FileLinkHandler {
  opened(port: FilePort): void;
  closed(port: FilePort): void;
  frame(port: FilePort, frame: FileFrame): void;
  bytes(port: FilePort, bytes: Uint8Array): void;
}

/** What the mesh needs of a link session to give it a port. */
export interface FilePortSession {
  readonly hello: { peerId: PeerId } | null;
  send(frame: FileFrame): boolean;
  sendBytes(bytes: Uint8Array): boolean;
  bufferedAmount(): number;
  strike(): void;
}

export interface FilePorts<S extends FilePortSession> {
  /** Attaches the handler (one at a time) and opens a port for each link already open; returns detach. */
  attach(handler: FileLinkHandler, openLinks: readonly S[]): () => void;
  opened(session: S): void;
  closed(session: S): void;
  frame(session: S, frame: FileFrame): void;
  /** Binary frames of open links; false when nothing asked for them (no swarm attached). */
  bytes(session: S, bytes: Uint8Array): boolean;
}

export function createFilePorts<S extends FilePortSession>(): FilePorts<S> {
  const ports = new Map<S, FilePort>();
  let handler: FileLinkHandler | null = null;

  const portOf = (s: S): FilePort | null => {
    const existing = ports.get(s);
    if (existing || !s.hello) return existing ?? null;
    const port: FilePort = {
      peerId: s.hello.peerId,
      sendFrame: (frame) => s.send(frame),
      sendBytes: (bytes) => s.sendBytes(bytes),
      bufferedAmount: () => s.bufferedAmount(),
      strike: () => s.strike(),
    };
    ports.set(s, port);
    return port;
  };

  return {
    attach(next, openLinks) {
      handler = next;
      for (const s of openLinks) {
        const port = portOf(s);
        if (port) next.opened(port);
      }
      return () => {
        if (handler === next) handler = null;
        ports.clear();
      };
    },
    opened(s) {
      const port = handler && portOf(s);
      if (port) handler?.opened(port);
    },
    closed(s) {
      const port = ports.get(s);
      ports.delete(s);
      if (port) handler?.closed(port);
    },
    frame(s, frame) {
      const port = handler && portOf(s);
      if (port) handler?.frame(port, frame);
    },
    bytes(s, bytes) {
      const port = handler && portOf(s);
      if (!port) return false;
      handler?.bytes(port, bytes);
      return true;
    },
  };
}
