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
/**
 * A reader's first keystroke is announced only if they are still composing this much later: a message
 * sent within it (a paste, "ok", an emoji) costs its readers no typing frames and no "is typing…" render
 * (before, every quick message cost each reader a start, a render and a stop beside the message itself).
 */
export const TYPING_START_DELAY_MS = 500;

/** A link's frames: the typing relay only ever talks to open, authenticated links. */
export interface TypingLink {
  send(message: PeerMessage): boolean;
}

export interface TypingDeps {
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  openLinks(): readonly TypingLink[];
  /** A peer started (showMs > 0, bounded by MAX_TYPING_SHOW_MS) or stopped (0) typing. */
  emit(event: { peerId: PeerId; showMs: number }): void;
  /** Sender interval; default TYPING_INTERVAL_MS. */
  intervalMs?: number;
  /** Receiver gap per link; default TYPING_MIN_GAP_MS. */
  minGapMs?: number;
  /** Sender delay before a first announcement; default TYPING_START_DELAY_MS. */
  startDelayMs?: number;
}

export interface TypingRelay {
  /**
   * The reader typed (true) or stopped (false); true when a frame went out now. A first keystroke goes
   * out after startDelayMs unless a stop comes first (then neither goes out); later ones are throttled.
   */
  send(active: boolean): boolean;
  /** A `typing` frame from the open link of `peerId`: emitted unless it comes too soon after the last. */
  onFrame(peerId: PeerId, showMs: number): void;
  /** The link of `peerId` closed: its typing ends and its gap state goes (keeps the table bounded). */
  onClosed(peerId: PeerId): void;
  /** The mesh closed: a pending announcement is dropped. */
  close(): void;
}

/**
 * Typing notices: ephemeral frames on open links only. Rate-limited at the sender (the first after
 * TYPING_START_DELAY_MS of composing, then one per interval while typing, one stop after a start) and bounded at the receiver (one per gap per link, state only
 * for open links), so a hostile peer can neither flood the UI nor grow a table.
 */
export function createTypingRelay(deps: TypingDeps): TypingRelay {
  const intervalMs = deps.intervalMs ?? TYPING_INTERVAL_MS;
  const minGapMs = deps.minGapMs ?? TYPING_MIN_GAP_MS;
  const startDelayMs = deps.startDelayMs ?? TYPING_START_DELAY_MS;
  let lastSent = -Infinity;
  let announced = false;
  /** The first keystroke's announcement, waiting out startDelayMs. */
  let pending: unknown = null;
  /** Last accepted frame per open link, and whether it said "typing". */
  const lastHeard = new Map<PeerId, { at: number; active: boolean }>();

  const broadcast = (showMs: number) => {
    for (const link of deps.openLinks()) link.send({ type: 'typing', showMs });
  };
  const announce = () => {
    pending = null;
    lastSent = deps.clock.now();
    announced = true;
    broadcast(TYPING_SHOW_MS);
  };
  const cancelPending = (): boolean => {
    if (pending === null) return false;
    deps.clock.clearTimeout(pending);
    pending = null;
    return true;
  };

  return {
    send(active) {
      if (!active) {
        // One stop per start: stopping is what makes "is typing…" vanish as soon as the message lands.
        if (cancelPending() || !announced) return false;
        announced = false;
        lastSent = -Infinity;
        broadcast(0);
        return true;
      }
      if (!announced) {
        if (pending === null) pending = deps.clock.setTimeout(announce, startDelayMs);
        return false;
      }
      if (deps.clock.now() - lastSent < intervalMs) return false;
      announce();
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
    close: () => void cancelPending(),
  };
}
