import { type ReadonlySignal, computed, signal } from '@preact/signals';
import type { Clock, Mesh, PeerId } from '@shoal/shared';

/** Typers named in the status line; more become "Several people are typing…". */
export const MAX_TYPERS_NAMED = 3;
/**
 * A typer's message ends their notice when it was sent (by their clock) at most this long before the
 * notice began (by ours): honest clocks differ by seconds. An older message of theirs (history sync
 * bringing a newcomer what they wrote earlier) leaves the notice alone; a live one from a typer whose
 * clock is further behind leaves it to their stop frame, which follows the message.
 */
export const TYPING_CLOCK_SLACK_MS = 10_000;

/** "Ada is typing…", "Ada and Brian are typing…", "Ada, Brian and Cleo are typing…", '' for none. */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length > MAX_TYPERS_NAMED) return 'Several people are typing…';
  if (names.length === 1) return `${names[0]} is typing…`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
}

export interface TypingStateDeps {
  mesh: Pick<Mesh, 'on' | 'sendTyping'>;
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  /**
   * A linked peer's name as raw text ('' when unknown). Typing frames carry none, so a private room's
   * names never travel in the clear: the app names typers from what it already knows of them.
   */
  nameOf(peerId: PeerId): string;
  /** A linked peer's key fingerprint (undefined when unknown): whose messages end whose notice. */
  fingerprintOf(peerId: PeerId): string | undefined;
}

export interface TypingState {
  /** Raw names of who is typing now, in the order they started (the UI normalises them). */
  readonly typers: ReadonlySignal<readonly string[]>;
  /** The reader typed in the composer (throttled by the mesh: at most one frame per interval). */
  typed(): void;
  /** The reader sent or cleared the draft: others stop showing them as typing. */
  stopped(): void;
  /**
   * Messages were shown: their authors stop showing as typing in the same render (messages sent since
   * the notice began; see TYPING_CLOCK_SLACK_MS). Their stop frame, which a sender sends after the
   * message, then changes nothing: one render per message instead of two.
   */
  arrived(messages: readonly { fingerprint?: string; sentAt: number }[]): void;
  dispose(): void;
}

/** Who is typing in the room: ephemeral, from the mesh's `typing` events; never stored. */
export function createTypingState(deps: TypingStateDeps): TypingState {
  /** Typer -> when their notice began and when it ends (their clock's showMs from our now). */
  const typers = signal<ReadonlyMap<PeerId, { since: number; until: number }>>(new Map());
  let timer: unknown = null;

  /** Drops ended notices and wakes up again at the next end, so the line clears on time. */
  const prune = () => {
    if (timer !== null) deps.clock.clearTimeout(timer);
    timer = null;
    const now = deps.clock.now();
    const live = new Map([...typers.value].filter(([, { until }]) => until > now));
    if (live.size !== typers.value.size) typers.value = live;
    if (live.size > 0) timer = deps.clock.setTimeout(prune, Math.min(...[...live.values()].map(({ until }) => until)) - now);
  };

  const off = deps.mesh.on('typing', ({ peerId, showMs }) => {
    if (showMs === 0 && !typers.value.has(peerId)) return;
    const next = new Map(typers.value);
    const now = deps.clock.now();
    if (showMs > 0) next.set(peerId, { since: typers.value.get(peerId)?.since ?? now, until: now + showMs });
    else next.delete(peerId);
    typers.value = next;
    prune();
  });

  const names = computed(() => [...typers.value.keys()].map((peerId) => deps.nameOf(peerId)));

  return {
    typers: names,
    typed: () => void deps.mesh.sendTyping(true),
    stopped: () => void deps.mesh.sendTyping(false),
    arrived(messages) {
      /** Author fingerprint -> the newest claimed send time among the messages. */
      const newest = new Map<string, number>();
      for (const { fingerprint, sentAt } of messages) {
        if (fingerprint !== undefined) newest.set(fingerprint, Math.max(sentAt, newest.get(fingerprint) ?? -Infinity));
      }
      const wroteSince = (peerId: PeerId, since: number): boolean => {
        const fingerprint = deps.fingerprintOf(peerId);
        const sentAt = fingerprint === undefined ? undefined : newest.get(fingerprint);
        return sentAt !== undefined && sentAt >= since - TYPING_CLOCK_SLACK_MS;
      };
      const next = new Map([...typers.value].filter(([peerId, { since }]) => !wroteSince(peerId, since)));
      if (next.size !== typers.value.size) typers.value = next;
    },
    dispose() {
      off();
      if (timer !== null) deps.clock.clearTimeout(timer);
    },
  };
}
