import type { PeerLink } from './peer-link';

/** Two connected in-memory PeerLinks, plus test controls over the wire between them. */
export interface MemoryLinkPair {
  a: PeerLink;
  b: PeerLink;
  /** Closes the wire: both ends see onClose, like a data channel dying. */
  cut(): void;
  /** Silently stops delivery in both directions without closing (a stalled channel): pings go unanswered. */
  stall(): void;
  /** Frames carried so far, both directions (each `send` that was accepted). */
  transmissions(): number;
}

type Handler<T> = ((value: T) => void) | null;

interface End {
  link: PeerLink;
  deliver(frame: string): void;
  closed(): void;
}

/**
 * Creates a connected pair. Delivery is asynchronous (a microtask per frame, in order), like a real
 * channel: a send never re-enters the receiver synchronously, which would hide ordering bugs.
 */
export function createMemoryLinkPair(): MemoryLinkPair {
  let open = true;
  let stalled = false;
  let count = 0;

  const makeEnd = (peer: () => End): End => {
    let onMessage: Handler<string> = null;
    let onClose: (() => void) | null = null;
    let closeRan = false;
    return {
      link: {
        send(frame) {
          if (!open) return false;
          count++;
          if (!stalled) {
            const target = peer();
            void Promise.resolve().then(() => target.deliver(frame));
          }
          return true;
        },
        close: () => shutdown(),
        onMessage(handler) {
          onMessage = handler;
        },
        onClose(handler) {
          onClose = handler;
        },
      },
      deliver(frame) {
        if (open && !stalled) onMessage?.(frame);
      },
      closed() {
        if (closeRan) return;
        closeRan = true;
        onClose?.();
      },
    };
  };

  const endA: End = makeEnd(() => endB);
  const endB: End = makeEnd(() => endA);

  function shutdown(): void {
    if (!open) return;
    open = false;
    void Promise.resolve().then(() => {
      endA.closed();
      endB.closed();
    });
  }

  return {
    a: endA.link,
    b: endB.link,
    cut: shutdown,
    stall() {
      stalled = true;
    },
    transmissions: () => count,
  };
}
