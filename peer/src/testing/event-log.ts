import type { MessageEvent, PeerEvent } from '../peer-events';

/** Default bound of every wait: WebRTC and history sync on a loaded 2-core machine finish well under it. */
export const WAIT_MS = 15_000;

/**
 * Collects a peer's events and resolves waits the moment a matching event arrives (no polling, no
 * sleeps). `describe` adds context to a timeout's message (e.g. the process's stderr). For tests.
 */
export function eventLog(describe: () => string = () => '') {
  const events: PeerEvent[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    emit(event: PeerEvent) {
      events.push(event);
      for (const check of [...waiters]) check();
    },
    waitFor(what: string, match: (event: PeerEvent) => boolean, ms = WAIT_MS): Promise<PeerEvent> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${ms} ms waiting for ${what}; saw ${events.map((e) => e.type).join(',')} ${describe()}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    /** The first message event matching, once it arrives. */
    async waitForMessage(what: string, match: (event: MessageEvent) => boolean, ms = WAIT_MS): Promise<MessageEvent> {
      const found = await this.waitFor(what, (event) => event.type === 'message' && match(event), ms);
      if (found.type !== 'message') throw new Error('unreachable: matched a non-message');
      return found;
    },
  };
}

export const withText = (text: string) => (event: MessageEvent) => event.text === text;
