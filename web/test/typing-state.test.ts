import { type MeshEvents, type PeerId, createEmitter } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { TYPING_CLOCK_SLACK_MS, createTypingState, typingText } from '../src/state/typing-state';
import { displayName } from '../src/ui/format';
import { createFakeClock } from './fake-clock';
import { peerId } from './ids';

function setup() {
  const events = createEmitter<MeshEvents>();
  const clock = createFakeClock(1_000);
  const frames: boolean[] = [];
  const names = new Map<PeerId, string>([[peerId(1), 'Ada'], [peerId(2), 'Brian'], [peerId(3), '\u202EBidi']]);
  const state = createTypingState({
    mesh: { on: events.on, sendTyping: (active) => frames.push(active) > 0 },
    clock,
    nameOf: (id) => names.get(id) ?? '',
    fingerprintOf: (id) => (names.has(id) ? `fp-${names.get(id)}` : undefined),
  });
  const text = () => typingText(state.typers.value.map(displayName));
  return { events, clock, frames, state, text };
}

describe('typing state', () => {
  it('words one, two, three and many typers', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Ada'])).toBe('Ada is typing…');
    expect(typingText(['Ada', 'Brian'])).toBe('Ada and Brian are typing…');
    expect(typingText(['Ada', 'Brian', 'Cleo'])).toBe('Ada, Brian and Cleo are typing…');
    expect(typingText(['A', 'B', 'C', 'D'])).toBe('Several people are typing…');
  });

  it('shows a typer for the time asked, clears on stop, and names unknown or hostile names safely', () => {
    const { events, clock, text } = setup();
    events.emit('typing', { peerId: peerId(1), showMs: 5_000 });
    expect(text()).toBe('Ada is typing…');
    events.emit('typing', { peerId: peerId(2), showMs: 2_000 });
    expect(text()).toBe('Ada and Brian are typing…');
    clock.advance(2_000);
    expect(text()).toBe('Ada is typing…');
    events.emit('typing', { peerId: peerId(1), showMs: 0 });
    expect(text()).toBe('');
    events.emit('typing', { peerId: peerId(3), showMs: 1_000 });
    events.emit('typing', { peerId: peerId(4), showMs: 1_000 });
    expect(text()).toBe('Bidi and Anonymous are typing…');
    clock.advance(1_000);
    expect(text()).toBe('');
    expect(clock.pending()).toBe(0);
  });

  it('ends a typer\'s notice when their message shows, so their stop after it changes nothing', () => {
    const { events, state, text, clock } = setup();
    events.emit('typing', { peerId: peerId(1), showMs: 5_000 });
    events.emit('typing', { peerId: peerId(2), showMs: 5_000 });
    events.emit('typing', { peerId: peerId(4), showMs: 5_000 });
    const shown = state.typers.value;
    // No fingerprint (an undecodable row) and an unknown typer's missing one match nobody.
    state.arrived([{ fingerprint: 'fp-Someone', sentAt: clock.now() }, { sentAt: clock.now() }]);
    expect(state.typers.value).toBe(shown);
    state.arrived([{ fingerprint: 'fp-Ada', sentAt: clock.now() }]);
    expect(text()).toBe('Brian and Anonymous are typing…');
    const after = state.typers.value;
    events.emit('typing', { peerId: peerId(1), showMs: 0 });
    expect(state.typers.value).toBe(after);
  });

  it('keeps a typer\'s notice when an older message of theirs shows (history sync), within the clock slack', () => {
    const { events, state, text, clock } = setup();
    clock.advance(60_000);
    events.emit('typing', { peerId: peerId(1), showMs: 5_000 });
    clock.advance(2_000);
    events.emit('typing', { peerId: peerId(1), showMs: 5_000 }); // still typing: the notice began 2 s ago
    state.arrived([{ fingerprint: 'fp-Ada', sentAt: clock.now() - 2_000 - TYPING_CLOCK_SLACK_MS - 1 }]);
    expect(text()).toBe('Ada is typing…');
    // Sent as the notice began, by a clock up to TYPING_CLOCK_SLACK_MS behind ours: it ends the notice.
    state.arrived([{ fingerprint: 'fp-Ada', sentAt: clock.now() - 2_000 - TYPING_CLOCK_SLACK_MS }]);
    expect(text()).toBe('');
  });

  it('passes typing and stop on to the mesh, which throttles them', () => {
    const { frames, state } = setup();
    state.typed();
    state.stopped();
    expect(frames).toEqual([true, false]);
  });
});
