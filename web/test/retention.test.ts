import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { toRoomEvent } from '@shoal/shared';
import { openHistoryDb } from '../src/store/history-idb';
import { peerId, room } from './ids';
import { chatMessage } from './messages';

let dbCount = 0;
const lobby = room('lobby');
const [alice, me] = [peerId(1), peerId(2)];

async function openWith(maxEvents: number, maxBytes = Number.MAX_SAFE_INTEGER) {
  return openHistoryDb({ name: `retention-${++dbCount}`, parse: toRoomEvent, retention: () => ({ maxEvents, maxBytes }), ownAuthor: () => me });
}

describe('retention', () => {
  it('keeps the newest maxEvents of a room and does not fetch the dropped ones back', async () => {
    const { history, close } = await openWith(10);
    for (let i = 1; i <= 30; i++) await history.put(chatMessage(lobby, alice, i, i));
    await history.trim(lobby);
    const kept = await history.recent(lobby, 100);
    expect(kept.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));
    expect(await history.vector(lobby)).toEqual({ [alice]: 30 });
    expect(await history.droppedOlder(lobby)).toBe(true);
    close();
  });

  it('keeps maxEvents and drops one more past it', async () => {
    const { history, close } = await openWith(10);
    for (let i = 1; i <= 10; i++) await history.put(chatMessage(lobby, alice, i, i));
    await history.trim(lobby);
    expect(await history.recent(lobby, 100)).toHaveLength(10);
    expect(await history.droppedOlder(lobby)).toBe(false);
    await history.put(chatMessage(lobby, alice, 11, 11));
    await history.trim(lobby);
    expect((await history.recent(lobby, 100)).map((m) => m.seq)[0]).toBe(2);
    close();
  });

  it('never drops an own event no peer has confirmed, and drops it once a sync request shows a peer holds it', async () => {
    const { history, close } = await openWith(5);
    for (let i = 1; i <= 5; i++) await history.put(chatMessage(lobby, me, i, i, i));
    for (let i = 1; i <= 5; i++) await history.put(chatMessage(lobby, alice, i, 10 + i, 100 + i));
    await history.trim(lobby);
    const kept = await history.recent(lobby, 100);
    expect(kept.filter((m) => m.author === me)).toHaveLength(5);
    expect(kept.filter((m) => m.author === alice)).toHaveLength(0);
    await history.missingFrom(lobby, { [me]: 3 }, 10); // a peer asks, showing it holds my 1..3
    await history.put(chatMessage(lobby, alice, 6, 16, 106));
    await history.trim(lobby);
    const after = await history.recent(lobby, 100);
    expect(after.filter((m) => m.author === me).map((m) => m.seq)).toEqual([2, 3, 4, 5]);
    expect(after.filter((m) => m.author === alice).map((m) => m.seq)).toEqual([6]);
    close();
  });

  it('trims by bytes too', async () => {
    const one = JSON.stringify(chatMessage(lobby, alice, 1, 1)).length;
    const { history, close } = await openWith(1_000, one * 4 + 10);
    for (let i = 1; i <= 10; i++) await history.put(chatMessage(lobby, alice, i, i));
    await history.trim(lobby);
    expect(await history.recent(lobby, 100)).toHaveLength(4);
    close();
  });
});
