import { MAX_STREAM_SLOTS } from '@shoal/shared';

/** The part of the Web Locks API this needs (navigator.locks), injectable for tests. */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<void>): Promise<void>;
  request(name: string, callback: (lock: unknown) => Promise<void>): Promise<void>;
}

export interface StreamSlot {
  /** 0..MAX_STREAM_SLOTS-1: this tab's author stream of the profile's identity in the room. */
  slot: number;
  /** Lets another tab take the slot (closing the room); the browser also releases it when the tab goes. */
  release(): void;
}

/**
 * Claims an author stream slot for this tab. Every tab of a browser profile signs with the same identity
 * key; two tabs writing into one stream would reuse seqs and fork it. Each tab therefore holds a Web Lock
 * on its slot for as long as the room is open. A reload usually gets its old slot back, and the
 * stream's seq continues from the shared IndexedDB, so the room's version vector grows with devices and
 * concurrently open tabs (at most MAX_STREAM_SLOTS per identity), never with page loads. With every slot
 * taken, the tab waits for the first to free up rather than fork a stream.
 */
export async function claimStreamSlot(locks: LockManagerLike, room: string): Promise<StreamSlot> {
  const name = (slot: number) => `shoal.stream.${room}.${slot}`;
  const hold = (slot: number, granted: (held: StreamSlot) => void) => (lock: unknown) => {
    if (lock === null) return Promise.resolve();
    return new Promise<void>((release) => granted({ slot, release: () => release() }));
  };
  for (let slot = 0; slot < MAX_STREAM_SLOTS; slot++) {
    const held = await new Promise<StreamSlot | null>((resolve) => {
      void locks.request(name(slot), { ifAvailable: true }, hold(slot, resolve)).then(() => resolve(null));
    });
    if (held) return held;
  }
  return new Promise<StreamSlot>((resolve) => void locks.request(name(0), hold(0, resolve)));
}
