import { describe, expect, it } from 'vitest';
import { createRoomLull } from '../src/room/room-lull';
import { createFakeClock } from './fake-clock';

/** A lull of 5 s quiet and 60 s at most, with one job waiting on it from `start`; `ran`: when it ran. */
function waitingLull(start: number) {
  const clock = createFakeClock(start);
  const lull = createRoomLull(clock, { quietMs: 5_000, latestMs: 60_000 });
  const ran: number[] = [];
  lull.whenQuiet(() => ran.push(clock.now()));
  return { clock, lull, ran };
}

describe('createRoomLull', () => {
  it('runs a job after quietMs when the room is quiet', () => {
    const { clock, ran } = waitingLull(1_000);
    clock.advance(4_999);
    expect(ran).toEqual([]);
    clock.advance(1);
    expect(ran).toEqual([6_000]);
    clock.advance(60_000);
    expect(ran).toEqual([6_000]);
  });

  it('waits until quietMs passed since the last busy moment', () => {
    const { clock, lull, ran } = waitingLull(0);
    // A room forming and chatting: activity every 300 ms for 12 s.
    for (let at = 300; at <= 12_000; at += 300) {
      clock.advance(300);
      lull.busy();
    }
    expect(ran).toEqual([]);
    clock.advance(4_999);
    expect(ran).toEqual([]);
    clock.advance(1);
    expect(ran).toEqual([17_000]);
  });

  it('runs at latestMs in a room that never pauses, once', () => {
    const { clock, lull, ran } = waitingLull(0);
    for (let at = 0; at < 90_000; at += 1_000) {
      lull.busy();
      clock.advance(1_000);
    }
    expect(ran).toEqual([60_000]);
  });

  it('is not delayed by activity older than quietMs when it is asked for', () => {
    const clock = createFakeClock(0);
    const lull = createRoomLull(clock, { quietMs: 5_000, latestMs: 60_000 });
    lull.busy();
    clock.advance(10_000);
    const ran: number[] = [];
    lull.whenQuiet(() => ran.push(clock.now()));
    clock.advance(5_000);
    expect(ran).toEqual([15_000]);
  });
});
