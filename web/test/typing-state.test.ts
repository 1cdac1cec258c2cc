import { type MeshEvents, type PeerId, createEmitter } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { createTypingState, typingText } from '../src/state/typing-state';
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

  it('passes typing and stop on to the mesh, which throttles them', () => {
    const { frames, state } = setup();
    state.typed();
    state.stopped();
    expect(frames).toEqual([true, false]);
  });
});
