import { describe, expect, it } from 'vitest';
import { MAX_NOTIFICATIONS_PER_BATCH, createNotifier } from '../src/room/notifier';
import type { ViewMessage } from '@shoal/shared';
import { type NotifyLevel, loadNotifyLevel, saveNotifyLevel } from '../src/state/notify-policy';
import { memoryStorage } from './memory-storage';

function message(n: number, body: string, fields: Partial<ViewMessage> = {}): ViewMessage {
  return { id: `m${n}`, author: 'OTHER', publicKey: 'K', seq: n, lamport: n, sentAt: 0, kind: 'text', name: '\u202EBrian', body, ...fields };
}

function setup(level: NotifyLevel) {
  const shown: Array<{ title: string; body: string }> = [];
  const notify = createNotifier({
    room: 'lobby', level: () => level, ownName: () => 'Ada', isOwn: (m) => m.author === 'ME', show: (title, { body }) => shown.push({ title, body }),
  });
  return { shown, notify };
}

describe('notifier', () => {
  it('notifies nothing while the tab is visible or when off', () => {
    const all = setup('all');
    all.notify([message(1, 'hi @Ada')], true);
    expect(all.shown).toEqual([]);
    const off = setup('off');
    off.notify([message(1, 'hi @Ada')], false);
    expect(off.shown).toEqual([]);
  });

  it('notifies mentions only at "mentions", with a normalized name', () => {
    const { shown, notify } = setup('mentions');
    notify([message(1, 'plain'), message(2, 'hi @Ada, lunch?'), message(3, 'mine @Ada', { author: 'ME' })], false);
    expect(shown).toEqual([{ title: 'Brian mentioned you in #lobby', body: 'hi @Ada, lunch?' }]);
  });

  it('notifies every readable message from others at "all", a few per batch at most', () => {
    const { shown, notify } = setup('all');
    notify([message(1, 'gone', { deleted: true }), message(2, 'x', { problem: 'BAD_CONTENT' }), message(3, 'r', { kind: 'reaction' })], false);
    expect(shown).toEqual([]);
    notify(Array.from({ length: 10 }, (_, i) => message(i, `m${i} ${'long '.repeat(60)}`)), false);
    expect(shown).toHaveLength(MAX_NOTIFICATIONS_PER_BATCH);
    expect(shown[0]?.title).toBe('Brian in #lobby');
    expect(shown[0]?.body.length).toBeLessThanOrEqual(141);
  });

  it('remembers the choice, opt-in by default and for unknown values', () => {
    const storage = memoryStorage();
    expect(loadNotifyLevel(storage)).toBe('off');
    saveNotifyLevel(storage, 'mentions');
    expect(loadNotifyLevel(storage)).toBe('mentions');
    storage.setItem('shoal.notify', 'everything!');
    expect(loadNotifyLevel(storage)).toBe('off');
  });
});
