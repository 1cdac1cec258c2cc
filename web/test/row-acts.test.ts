import { describe, expect, it } from 'vitest';
import type { ViewMessage } from '@shoal/shared';
import { createRowActs } from '../src/state/row-acts';

const ROW_ID = 'ROW'.padEnd(43, '0');

function view(kind: string, lamport: number, fields: Partial<ViewMessage> = {}): ViewMessage {
  return { id: `${kind}-${lamport}`, author: 'ADA.0', publicKey: 'ADA', seq: lamport, lamport, sentAt: 0, kind, name: '', body: '', ...fields };
}

const row = view('text', 1, { id: ROW_ID, name: 'Ada', body: 'original' });

describe('row acts (edits, deletes, reactions)', () => {
  it('applies the author’s newest edit whatever order edits arrive in, before or after the row', () => {
    const acts = createRowActs(() => false);
    expect(acts.record(view('edit', 5, { target: ROW_ID, body: 'newest' }))).toBe(ROW_ID);
    expect(acts.record(view('edit', 3, { target: ROW_ID, body: 'older' }))).toBeNull();
    expect(acts.apply(row)).toMatchObject({ body: 'newest', edited: true });
  });

  it('ignores edits and deletes signed by another key', () => {
    const acts = createRowActs(() => false);
    acts.record(view('edit', 5, { target: ROW_ID, body: 'forged', publicKey: 'MALLORY' }));
    acts.record(view('delete', 6, { target: ROW_ID, publicKey: 'MALLORY' }));
    expect(acts.apply(row)).toBe(row);
  });

  it('empties a deleted row, reply link and reactions included', () => {
    const acts = createRowActs(() => false);
    acts.record(view('reaction', 2, { target: ROW_ID, emoji: '👍', publicKey: 'BRIAN' }));
    const reply = { ...row, replyTo: 'x' };
    expect(acts.apply(reply).reactions).toHaveLength(1);
    acts.record(view('delete', 3, { target: ROW_ID }));
    expect(acts.apply(reply)).toMatchObject({ body: '', deleted: true, replyTo: undefined, reactions: undefined });
  });

  it('marks the reader’s own reactions by the key of its own events, and names keys by their texts', () => {
    const acts = createRowActs((v) => v.author === 'ME.0');
    acts.record(view('text', 1, { author: 'ME.0', publicKey: 'MYKEY', name: 'Me' }));
    acts.record(view('reaction', 2, { target: ROW_ID, emoji: '🎉', author: 'ME.0', publicKey: 'MYKEY' }));
    expect(acts.apply(row).reactions).toEqual([{ emoji: '🎉', count: 1, mine: true, keys: ['MYKEY'] }]);
    expect(acts.nameOf('MYKEY')).toBe('Me');
  });
});
