import type { Clock } from './mesh-api';

/**
 * Liveness of one link: one ping in flight at a time, RTT from its pong, death after missed pongs. A
 * link that carried other frames since the last tick is alive without a ping: it is pinged only for a
 * first RTT and then every RTT_REFRESH_TICKS. In a chatting room pings were a third of every tab's
 * frames, each a task, a peer-list render and a frame painted (issue 14); an idle link pings as before.
 */
export interface Heartbeat {
  /**
   * Called every ping interval: counts an unanswered ping as missed unless other frames came, then
   * pings again (or declares death).
   */
  tick(): void;
  /** A frame other than a ping or pong came over the link. */
  heard(): void;
  /** Handles a pong; ignored unless it echoes the nonce of the ping in flight. */
  onPong(nonce: string): void;
  rttMs(): number | null;
}

export interface HeartbeatDeps {
  clock: Pick<Clock, 'now'>;
  /** Missed pongs in a row before `onDead`. */
  maxMissedPongs: number;
  newNonce(): string;
  sendPing(nonce: string, t: number): void;
  onRtt(rttMs: number): void;
  onDead(): void;
}

/** Ticks a busy link goes between pings (its RTT is refreshed that often). */
export const RTT_REFRESH_TICKS = 5;

export function createHeartbeat(deps: HeartbeatDeps): Heartbeat {
  let inFlight: { nonce: string; sentAt: number } | null = null;
  let missed = 0;
  let rtt: number | null = null;
  let dead = false;
  let heard = false;
  let ticksSinceRtt = 0;

  return {
    tick() {
      if (dead) return;
      const busy = heard;
      heard = false;
      ticksSinceRtt++;
      if (busy) {
        missed = 0;
        if (rtt !== null && ticksSinceRtt < RTT_REFRESH_TICKS) return;
      } else if (inFlight) {
        missed++;
        if (missed >= deps.maxMissedPongs) {
          dead = true;
          inFlight = null;
          deps.onDead();
          return;
        }
      }
      const nonce = deps.newNonce();
      const sentAt = deps.clock.now();
      inFlight = { nonce, sentAt };
      deps.sendPing(nonce, sentAt);
    },
    onPong(nonce) {
      // Only the current nonce counts: a stale or forged pong must not keep a dead link alive.
      if (dead || !inFlight || inFlight.nonce !== nonce) return;
      rtt = Math.max(0, deps.clock.now() - inFlight.sentAt);
      inFlight = null;
      missed = 0;
      ticksSinceRtt = 0;
      deps.onRtt(rtt);
    },
    heard() {
      heard = true;
    },
    rttMs: () => rtt,
  };
}
