import type { PeerLink } from './peer-link';

/** Two connected in-memory PeerLinks, plus test controls over the wire between them. */
export interface MemoryLinkPair {
  a: PeerLink;
  b: PeerLink;
  /** Closes the wire: both ends see onClose, like a data channel dying. */
  cut(): void;
  /** Silently stops delivery in both directions without closing (a stalled channel): pings go unanswered. */
  stall(): void;
  /** Frames carried so far, both directions (each `send` or `sendBytes` that was accepted). */
  transmissions(): number;
  /** Bytes carried in binary frames so far, both directions. */
  binaryBytes(): number;
}


type Frame = { text: string } | { bytes: Uint8Array };

type Handler<T> = ((value: T) => void) | null;

interface End {
  link: PeerLink;
  deliver(frame: Frame): void;
  closed(): void;
}

/**
 * Creates a connected pair. Delivery is asynchronous (a microtask per frame, in order), like a real
 * channel: a send never re-enters the receiver synchronously, which would hide ordering bugs.
 */
/**
 * `bufferBytes`: bytes one end may have in flight before it refuses frames, like a data channel's send
 * buffer (the simple-peer adapter refuses above MAX_BUFFERED_BYTES). Unbounded by default, so floods
 * reach the receiver whole (the hostile-peer tests measure the receiver's defences, not the wire's).
 */
export function createMemoryLinkPair(bufferBytes = Number.POSITIVE_INFINITY): MemoryLinkPair {
  let open = true;
  let stalled = false;
  let count = 0;
  let binary = 0;

  const makeEnd = (peer: () => End): End => {
    let onMessage: Handler<string> = null;
    let onBytes: Handler<Uint8Array> = null;
    let onClose: (() => void) | null = null;
    let closeRan = false;
    // Bytes sent by this end and not yet delivered: what a data channel reports as bufferedAmount.
    let buffered = 0;
    const transmit = (frame: Frame, size: number): boolean => {
      if (!open || buffered + size > bufferBytes) return false;
      count++;
      if (stalled) return true;
      buffered += size;
      const target = peer();
      void Promise.resolve().then(() => {
        buffered -= size;
        target.deliver(frame);
      });
      return true;
    };
    return {
      link: {
        send: (text) => transmit({ text }, text.length),
        sendBytes(bytes) {
          // Copied, as a real channel does: the sender may reuse its buffer at once.
          const sent = transmit({ bytes: bytes.slice() }, bytes.length);
          if (sent) binary += bytes.length;
          return sent;
        },
        bufferedAmount: () => buffered,
        close: () => shutdown(),
        onMessage(handler) {
          onMessage = handler;
        },
        onBytes(handler) {
          onBytes = handler;
        },
        onClose(handler) {
          onClose = handler;
        },
      },
      deliver(frame) {
        if (!open || stalled) return;
        if ('text' in frame) onMessage?.(frame.text);
        else onBytes?.(frame.bytes);
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
    binaryBytes: () => binary,
  };
}
