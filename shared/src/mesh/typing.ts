import type { PeerId } from '../ids';
import { MAX_TYPING_SHOW_MS } from '../protocol/limits';
import type { PeerMessage } from '../protocol/peer-messages';
import type { Clock } from './mesh-api';

/** A typer sends at most one `typing` frame per this many ms (the "is typing…" line tolerates ~3 s). */
export const TYPING_INTERVAL_MS = 3_000;
/** How long one frame asks to be shown: a little over the interval, so steady typing never flickers. */
export const TYPING_SHOW_MS = 5_000;
/**
 * Receivers accept at most one `typing` frame per link per this many ms (stops included): below the
 * sender's interval to absorb jitter, but far from what a flooding peer would like to send.
 */
export const TYPING_MIN_GAP_MS = 1_000;

/** A link's frames: the typing relay only ever talks to open, authenticated links. */
export interface TypingLink {
  send(message: PeerMessage): boolean;
}

export interface TypingDeps {
  clock: Pick<Clock, 'now'>;
  openLinks(): readonly TypingLink[];
  /** A peer started (showMs > 0, bounded by MAX_TYPING_SHOW_MS) or stopped (0) typing. */
  emit(event: { peerId: PeerId; showMs: number }): void;
  /** Sender interval; default TYPING_INTERVAL_MS. */
  intervalMs?: number;
  /** Receiver gap per link; default TYPING_MIN_GAP_MS. */
  minGapMs?: number;
}

export interface TypingRelay {
  /** The reader typed (true) or stopped (false); true when a frame went out, false when throttled. */
  send(active: boolean): boolean;
  /** A `typing` frame from the open link of `peerId`: emitted unless it comes too soon after the last. */
  onFrame(peerId: PeerId, showMs: number): void;
  /** The link of `peerId` closed: its typing ends and its gap state goes (keeps the table bounded). */
  onClosed(peerId: PeerId): void;
}

/**
 * Typing notices: ephemeral frames on open links only. Rate-limited at the sender (one per interval
 * while typing, one stop after a start) and bounded at the receiver (one per gap per link, state only
 * for open links), so a hostile peer can neither flood the UI nor grow a table.
 */
export function createTypingRelay(deps: TypingDeps): TypingRelay {
  const intervalMs = deps.intervalMs ?? TYPING_INTERVAL_MS;
  const minGapMs = deps.minGapMs ?? TYPING_MIN_GAP_MS;
  let lastSent = -Infinity;
  let announced = false;
  /** Last accepted frame per open link, and whether it said "typing". */
  const lastHeard = new Map<PeerId, { at: number; active: boolean }>();

  const broadcast = (showMs: number) => {
    for (const link of deps.openLinks()) link.send({ type: 'typing', showMs });
  };

  return {
    send(active) {
      const now = deps.clock.now();
      if (!active) {
        // One stop per start: stopping is what makes "is typing…" vanish as soon as the message lands.
        if (!announced) return false;
        announced = false;
        lastSent = -Infinity;
        broadcast(0);
        return true;
      }
      if (now - lastSent < intervalMs) return false;
      lastSent = now;
      announced = true;
      broadcast(TYPING_SHOW_MS);
      return true;
    },
    onFrame(peerId, showMs) {
      const now = deps.clock.now();
      const last = lastHeard.get(peerId);
      // A stop right after a start gets through (once: it clears `active`), so "is typing…" goes away
      // the moment the message is sent; anything else within the gap is dropped.
      const stopAfterStart = showMs === 0 && last?.active === true;
      if (last !== undefined && now - last.at < minGapMs && !stopAfterStart) return;
      lastHeard.set(peerId, { at: now, active: showMs > 0 });
      deps.emit({ peerId, showMs: Math.min(showMs, MAX_TYPING_SHOW_MS) });
    },
    onClosed(peerId) {
      if (lastHeard.delete(peerId)) deps.emit({ peerId, showMs: 0 });
    },
  };
}
