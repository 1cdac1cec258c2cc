import { describe, expect, it } from 'vitest';
import { createEmitter } from '../src/mesh/typed-emitter';

describe('emitter', () => {
  it('delivers to every handler even when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const emitter = createEmitter<{ ping: number }>((error) => errors.push(error));
    const seen: number[] = [];
    emitter.on('ping', () => {
      throw new Error('boom');
    });
    const off = emitter.on('ping', (n) => seen.push(n));
    emitter.emit('ping', 1);
    off();
    emitter.emit('ping', 2);
    expect(seen).toEqual([1]);
    expect(errors).toHaveLength(2);
  });

  it('tells whether an event has listeners, so a costly payload is built only for them', () => {
    const emitter = createEmitter<{ ping: number; pong: number }>();
    expect(emitter.listened('ping')).toBe(false);
    const off = emitter.on('ping', () => undefined);
    expect([emitter.listened('ping'), emitter.listened('pong')]).toEqual([true, false]);
    off();
    expect(emitter.listened('ping')).toBe(false);
  });
});
