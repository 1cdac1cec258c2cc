import { describe, expect, it } from 'vitest';
import type { ViewMessage } from '@shoal/shared';
import { GROUP_GAP_MS, layoutLog } from '../src/ui/log-layout';

const NOON = new Date(2026, 11, 1, 12, 0).getTime();

function message(n: number, sentAt: number, fields: Partial<ViewMessage> = {}): ViewMessage {
  return { id: `m${n}`, author: 'A', publicKey: 'KEY-A', seq: n, lamport: n, sentAt, kind: 'text', name: 'Ada', body: `m${n}`, ...fields };
}

const shape = (items: ReturnType<typeof layoutLog>) =>
  items.map((item) => (item.kind === 'message' ? `${item.message.id}${item.grouped ? '+' : ''}` : item.kind === 'day' ? `[${item.label}]` : '[new]'));

describe('log layout', () => {
  it('groups close messages of one author and starts a new group for another author, a gap or a deletion', () => {
    const items = layoutLog(
      [
        message(1, NOON),
        message(2, NOON + 60_000),
        message(3, NOON + 60_000 + GROUP_GAP_MS + 1),
        message(4, NOON + 60_000 + GROUP_GAP_MS + 2, { publicKey: 'KEY-B', name: 'Brian' }),
        message(5, NOON + 60_000 + GROUP_GAP_MS + 3, { publicKey: 'KEY-B', name: 'Ada' }),
        message(6, NOON + 60_000 + GROUP_GAP_MS + 4, { publicKey: 'KEY-B', name: 'Ada', deleted: true }),
      ],
      null,
      NOON,
    );
    expect(shape(items)).toEqual(['[Today]', 'm1', 'm2+', 'm3', 'm4', 'm5', 'm6']);
  });

  it('puts a day line where the local day changes and the unread line above the first unread', () => {
    const yesterday = NOON - 86_400_000;
    const items = layoutLog([message(1, yesterday), message(2, NOON), message(3, NOON + 1000)], 'm3', NOON);
    expect(shape(items)).toEqual(['[Yesterday]', 'm1', '[Today]', 'm2', '[new]', 'm3']);
  });

  it('starts no day for an invalid time and names older days', () => {
    const items = layoutLog([message(1, new Date(2025, 0, 5, 9).getTime()), message(2, Number.NaN)], null, NOON);
    expect(shape(items)).toHaveLength(3);
    expect(shape(items)[0]).toMatch(/2025/);
  });
});
