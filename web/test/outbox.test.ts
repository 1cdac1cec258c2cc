import { toChatMessage } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { MAX_OUTBOX_MESSAGES, OUTBOX_PREFIX, createOutbox } from '../src/store/outbox';
import { peerId, room } from './ids';
import { chatMessage } from './messages';
import { memoryStorage } from './memory-storage';

const lobby = room('lobby');

describe('outbox', () => {
  it('holds messages synchronously until removed', () => {
    const storage = memoryStorage();
    const outbox = createOutbox(storage, 'tab-1', toChatMessage);
    const [a, b] = [chatMessage(lobby, peerId(1), 1, 1), chatMessage(lobby, peerId(1), 2, 2)];
    outbox.add(a);
    outbox.add(b);
    expect(JSON.parse(storage.getItem(`${OUTBOX_PREFIX}tab-1`) ?? '[]')).toEqual([a, b]);
    outbox.remove(a.id);
    outbox.remove(b.id);
    expect(storage.map.size).toBe(0);
  });

  it('drains what earlier page loads left behind, dropping rows that are not messages', () => {
    const storage = memoryStorage();
    const left = chatMessage(lobby, peerId(1), 1, 1);
    createOutbox(storage, 'old-tab', toChatMessage).add(left);
    storage.setItem(`${OUTBOX_PREFIX}corrupt`, '{not json');
    storage.setItem(`${OUTBOX_PREFIX}other`, JSON.stringify([{ ...left, id: 'x' }, left]));
    storage.setItem('unrelated', 'kept');
    const drained = createOutbox(storage, 'new-tab', toChatMessage).drain();
    expect(drained).toEqual([left, left]);
    expect([...storage.map.keys()]).toEqual(['unrelated']);
  });

  it('keeps at most MAX_OUTBOX_MESSAGES, the newest', () => {
    const storage = memoryStorage();
    const outbox = createOutbox(storage, 'tab', toChatMessage);
    for (let i = 1; i <= MAX_OUTBOX_MESSAGES + 1; i++) outbox.add(chatMessage(lobby, peerId(1), i, i));
    const held: Array<{ seq: number }> = JSON.parse(storage.getItem(`${OUTBOX_PREFIX}tab`) ?? '[]');
    expect(held).toHaveLength(MAX_OUTBOX_MESSAGES);
    expect(held[0]?.seq).toBe(2);
  });
});
