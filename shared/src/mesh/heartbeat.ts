import type { Clock } from './mesh-api';

/** Liveness of one link: one ping in flight at a time, RTT from its pong, death after missed pongs. */
export interface Heartbeat {
  /** Called every ping interval: counts an unanswered ping as missed, then pings again (or declares death). */
  tick(): void;
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

export function createHeartbeat(deps: HeartbeatDeps): Heartbeat {
  let inFlight: { nonce: string; sentAt: number } | null = null;
  let missed = 0;
  let rtt: number | null = null;
  let dead = false;

  return {
    tick() {
      if (dead) return;
      if (inFlight) {
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
      deps.onRtt(rtt);
    },
    rttMs: () => rtt,
  };
}
