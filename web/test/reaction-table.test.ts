import { describe, expect, it } from 'vitest';
import type { ViewMessage } from '@shoal/shared';
import { MAX_REACTION_TARGETS, createReactionTable } from '../src/state/reaction-table';

const TARGET = 'T'.repeat(43);

function reaction(publicKey: string, emoji: string, lamport: number, remove = false, target = TARGET): ViewMessage {
  return {
    id: `R${lamport.toString(16).padStart(42, '0')}`, author: publicKey, publicKey, seq: lamport, lamport, sentAt: 0, kind: 'reaction', name: '', body: '',
    target, emoji, ...(remove && { removeReaction: true }),
  };
}

describe('reaction table', () => {
  it('counts distinct keys per emoji and marks the reader’s own', () => {
    const table = createReactionTable((key) => key === 'ME');
    table.record(reaction('ME', '👍', 1));
    table.record(reaction('ADA', '👍', 2));
    table.record(reaction('ADA', '👍', 3)); // the same key again counts once
    table.record(reaction('ADA', '🎉', 4));
    expect(table.countsFor(TARGET)).toEqual([
      { emoji: '👍', count: 2, mine: true, keys: ['ME', 'ADA'] },
      { emoji: '🎉', count: 1, mine: false, keys: ['ADA'] },
    ]);
  });

  it('applies add and remove in Lamport order whatever order they arrive in', () => {
    const table = createReactionTable(() => false);
    expect(table.record(reaction('ADA', '👍', 5, true))).toBe(TARGET);
    // The add is older than the removal: it arrives late (history sync) and must not resurrect the reaction.
    expect(table.record(reaction('ADA', '👍', 3))).toBeNull();
    expect(table.countsFor(TARGET)).toEqual([]);
    table.record(reaction('ADA', '👍', 7));
    expect(table.countsFor(TARGET)).toEqual([{ emoji: '👍', count: 1, mine: false, keys: ['ADA'] }]);
  });

  it('lets only the reacting key take its reaction back', () => {
    const table = createReactionTable(() => false);
    table.record(reaction('ADA', '❤️', 1));
    table.record(reaction('MALLORY', '❤️', 2, true));
    expect(table.countsFor(TARGET)).toEqual([{ emoji: '❤️', count: 1, mine: false, keys: ['ADA'] }]);
  });

  it('ignores malformed reactions and forgets the oldest target past its bound', () => {
    const table = createReactionTable(() => false);
    expect(table.record({ ...reaction('ADA', '👍', 1), problem: 'BAD_CONTENT' })).toBeNull();
    expect(table.record({ ...reaction('ADA', '👍', 1), kind: 'text' })).toBeNull();
    for (let n = 0; n <= MAX_REACTION_TARGETS; n++) table.record(reaction('ADA', '👍', n + 1, false, `target-${n}`));
    expect(table.countsFor('target-0')).toEqual([]);
    expect(table.countsFor(`target-${MAX_REACTION_TARGETS}`)).toHaveLength(1);
  });
});
