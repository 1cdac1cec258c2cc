import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { type RoomEvent, toRoomEvent } from '@shoal/shared';
import { openHistoryDb } from '../src/store/history-idb';
import { oldestMissing } from '../src/store/oldest-missing';
import { createFakeClock } from './fake-clock';
import { peerId, room } from './ids';
import { chatMessage } from './messages';

let dbCount = 0;
const lobby = room('lobby');
const [alice, bob, carol] = [peerId(1), peerId(2), peerId(3)];
const seqsOf = (messages: RoomEvent[]) => messages.map((m) => `${m.author === alice ? 'a' : m.author === bob ? 'b' : 'c'}${m.seq}`);

describe('IndexedDB history sync reads', () => {
  it('answers a sync request from queued writes without forcing them out', async () => {
    const clock = createFakeClock();
    const name = `queued-${++dbCount}`;
    const first = await openHistoryDb({ name, parse: toRoomEvent, clock, durable: () => false });
    for (let seq = 1; seq <= 3; seq++) await first.history.put(chatMessage(lobby, alice, seq, seq));
    expect(seqsOf(await first.history.missingFrom(lobby, { [alice]: 1 }, 10))).toEqual(['a2', 'a3']);
    expect(await first.history.maxLamport(lobby)).toBe(3);
    expect(seqsOf(await first.history.recent(lobby, 2))).toEqual(['a2', 'a3']);
    // The background batch still waits for its delay: the reads did not flush it.
    expect(clock.pending()).toBe(1);
    clock.advance(20);
    first.close();
    const second = await openHistoryDb({ name, parse: toRoomEvent });
    expect(seqsOf(await second.history.missingFrom(lobby, { [alice]: 1 }, 10))).toEqual(['a2', 'a3']);
    second.close();
  });

  it('merges committed rows with queued ones', async () => {
    const clock = createFakeClock();
    const { history, close } = await openHistoryDb({ name: `mixed-${++dbCount}`, parse: toRoomEvent, clock, durable: (m) => m.seq <= 3 });
    // Durable puts resolve once committed; the later ones stay queued (timers: that batch's, and the
    // room's first measurement against the retention limits).
    for (let seq = 1; seq <= 5; seq++) await history.put(chatMessage(lobby, alice, seq, seq));
    expect(clock.pending()).toBe(2);
    expect(seqsOf(await history.missingFrom(lobby, { [alice]: 2 }, 10))).toEqual(['a3', 'a4', 'a5']);
    expect(seqsOf(await history.before(lobby, { lamport: 5, id: '' }, 2))).toEqual(['a3', 'a4']);
    clock.advance(20);
    close();
  });

  it('returns the oldest missing messages across authors, skipping authors the remote holds', async () => {
    const { history, close } = await openHistoryDb({ name: `authors-${++dbCount}`, parse: toRoomEvent });
    for (let seq = 1; seq <= 5; seq++) {
      await history.put(chatMessage(lobby, alice, seq, seq * 3 - 2));
      await history.put(chatMessage(lobby, bob, seq, seq * 3 - 1));
      await history.put(chatMessage(lobby, carol, seq, seq * 3));
    }
    await history.put(chatMessage(room('other'), alice, 6, 100));
    expect(seqsOf(await history.missingFrom(lobby, { [carol]: 5 }, 4))).toEqual(['a1', 'b1', 'a2', 'b2']);
    expect(seqsOf(await history.missingFrom(lobby, { [alice]: 4, [bob]: 5 }, 10))).toEqual(['c1', 'c2', 'c3', 'c4', 'a5', 'c5']);
    expect(await history.missingFrom(lobby, {}, 0)).toEqual([]);
    close();
  });

  it('re-parses stored rows and leaves out those that are not messages', async () => {
    const { history, close } = await openHistoryDb({ name: `corrupt-${++dbCount}`, parse: toRoomEvent });
    await history.put(chatMessage(lobby, alice, 1, 1));
    await history.put({ ...chatMessage(lobby, alice, 2, 2), signature: 'not base64url!' });
    await history.put(chatMessage(lobby, alice, 3, 3));
    expect(seqsOf(await history.missingFrom(lobby, {}, 10))).toEqual(['a1', 'a3']);
    expect(history.skippedRows()).toBe(1);
    close();
  });
});

describe('oldest missing', () => {
  it('keeps each author to a prefix of its seqs even when its Lamport times run backwards', () => {
    const early = chatMessage(lobby, alice, 1, 100);
    const rows = [chatMessage(lobby, alice, 2, 1), chatMessage(lobby, alice, 3, 2), early, chatMessage(lobby, bob, 1, 50)];
    expect(seqsOf(oldestMissing(rows, 2))).toEqual(['b1', 'a1']);
  });

  it('counts a message found both queued and stored once', () => {
    const message = chatMessage(lobby, alice, 1, 1);
    expect(oldestMissing([message, { ...message }, chatMessage(lobby, alice, 2, 2)], 10)).toHaveLength(2);
  });
});
