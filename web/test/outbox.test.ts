import { toRoomEvent } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { MAX_OUTBOX_MESSAGES, OUTBOX_PREFIX, createOutbox } from '../src/store/outbox';
import { peerId, room } from './ids';
import { chatMessage } from './messages';
import { memoryStorage } from './memory-storage';

const lobby = room('lobby');

describe('outbox', () => {
  it('holds messages synchronously until removed', () => {
    const storage = memoryStorage();
    const outbox = createOutbox(storage, 'tab-1', toRoomEvent);
    const [a, b] = [chatMessage(lobby, peerId(1), 1, 1), chatMessage(lobby, peerId(1), 2, 2)];
    outbox.add(a);
    outbox.add(b);
    expect(JSON.parse(storage.getItem(`${OUTBOX_PREFIX}tab-1.${a.id}`) ?? 'null')).toEqual(a);
    expect(JSON.parse(storage.getItem(`${OUTBOX_PREFIX}tab-1.${b.id}`) ?? 'null')).toEqual(b);
    outbox.remove(a.id);
    outbox.remove(b.id);
    expect(storage.map.size).toBe(0);
  });

  it('drains what earlier page loads left behind, dropping rows that are not messages', () => {
    const storage = memoryStorage();
    const left = chatMessage(lobby, peerId(1), 1, 1);
    createOutbox(storage, 'old-tab', toRoomEvent).add(left);
    storage.setItem(`${OUTBOX_PREFIX}corrupt.1`, '{not json');
    storage.setItem(`${OUTBOX_PREFIX}other.x`, JSON.stringify({ ...left, id: 'x' }));
    storage.setItem(`${OUTBOX_PREFIX}other.${left.id}`, JSON.stringify(left));
    storage.setItem('unrelated', 'kept');
    const drained = createOutbox(storage, 'new-tab', toRoomEvent).drain();
    expect(drained).toEqual([left, left]);
    expect([...storage.map.keys()]).toEqual(['unrelated']);
  });

  it('refuses a message past MAX_OUTBOX_MESSAGES and never evicts one it holds', () => {
    const storage = memoryStorage();
    const outbox = createOutbox(storage, 'tab', toRoomEvent);
    const accepted: boolean[] = [];
    for (let i = 1; i <= MAX_OUTBOX_MESSAGES + 1; i++) accepted.push(outbox.add(chatMessage(lobby, peerId(1), i, i)));
    expect(accepted.filter(Boolean)).toHaveLength(MAX_OUTBOX_MESSAGES);
    expect(accepted.at(-1)).toBe(false);
    const held = [...storage.map.keys()].filter((key) => key.startsWith(`${OUTBOX_PREFIX}tab.`));
    expect(held).toHaveLength(MAX_OUTBOX_MESSAGES);
    expect(storage.getItem(`${OUTBOX_PREFIX}tab.${chatMessage(lobby, peerId(1), 1, 1).id}`)).not.toBeNull();
  });

  it('refuses a message when storage refuses the write, so the caller waits for the commit', () => {
    const storage = memoryStorage();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    const outbox = createOutbox(storage, 'tab', toRoomEvent);
    expect(outbox.add(chatMessage(lobby, peerId(1), 1, 1))).toBe(false);
  });
});
