import type { PeerId, RoomName } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { createInProcessRoomBus } from '../src/in-process-room-bus';
import type { MemberHandle } from '../src/room-bus';
import { newPeerId } from './helpers';

const room = (name: string) => name as RoomName;
const inbox = () => {
  const frames: string[] = [];
  return { frames, send: (f: string) => void frames.push(f) };
};

async function joined(bus: ReturnType<typeof createInProcessRoomBus>, name: string, id: PeerId, box = inbox()): Promise<MemberHandle> {
  const outcome = await bus.join(room(name), id, box, 64);
  if (!outcome.ok) throw new Error(outcome.code);
  return outcome.member;
}

describe('in-process room bus', () => {
  it('samples uniformly without repeats and never lists the joiner', async () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const bus = createInProcessRoomBus({ maxPeersPerRoom: 1000, random });
    const ids = Array.from({ length: 20 }, newPeerId);
    for (const id of ids) await joined(bus, 'big', id);
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const me = newPeerId();
      const outcome = await bus.join(room('big'), me, inbox(), 5);
      if (!outcome.ok) throw new Error(outcome.code);
      expect(outcome.peers).toHaveLength(5);
      expect(new Set(outcome.peers).size).toBe(5);
      expect(outcome.peers).not.toContain(me);
      for (const p of outcome.peers) counts.set(p, (counts.get(p) ?? 0) + 1);
      bus.leave(outcome.member);
    }
    // 400 draws of 5 among 20: each id is expected 100 times.
    for (const id of ids) expect(counts.get(id) ?? 0).toBeGreaterThan(50);
  });

  it('frees rooms and members on leave, and leave is idempotent', async () => {
    const bus = createInProcessRoomBus({ maxPeersPerRoom: 4 });
    const a = newPeerId();
    const b = newPeerId();
    const ma = await joined(bus, 'r', a);
    const boxB = inbox();
    const mb = await joined(bus, 'r', b, boxB);
    expect(bus.stats()).toEqual({ rooms: 1, peers: 2 });
    expect(bus.sendTo(ma, b, 'hi')).toBe(true);
    expect(boxB.frames).toEqual(['hi']);
    expect(bus.sendTo(ma, a, 'self')).toBe(false);
    expect(bus.sendTo(ma, 'not-an-id', 'x')).toBe(false);
    bus.leave(mb);
    bus.leave(mb);
    expect(bus.sendTo(ma, b, 'gone')).toBe(false);
    // A stale handle can neither send nor disturb the peer that now holds its id.
    const b2 = await joined(bus, 'r', b);
    expect(bus.sendTo(mb, a, 'stale')).toBe(false);
    bus.leave(mb);
    expect(bus.stats()).toEqual({ rooms: 1, peers: 2 });
    bus.leave(b2);
    expect(bus.stats()).toEqual({ rooms: 1, peers: 1 });
    bus.leave(ma);
    expect(bus.stats()).toEqual({ rooms: 0, peers: 0 });
  });

  it('refuses duplicates and a full room, and broadcasts to everyone else', async () => {
    const bus = createInProcessRoomBus({ maxPeersPerRoom: 2 });
    const a = newPeerId();
    const boxA = inbox();
    await joined(bus, 'r', a, boxA);
    expect(await bus.join(room('r'), a, inbox(), 8)).toEqual({ ok: false, code: 'DUPLICATE_PEER' });
    const mb = await joined(bus, 'r', newPeerId());
    expect(await bus.join(room('r'), newPeerId(), inbox(), 8)).toEqual({ ok: false, code: 'ROOM_FULL' });
    bus.broadcast(mb, 'all');
    expect(boxA.frames).toEqual(['all']);
  });

  it('delivers by room and peer name to its members only, for frames from other processes', async () => {
    const bus = createInProcessRoomBus({ maxPeersPerRoom: 8 });
    const [a, b, other] = [inbox(), inbox(), inbox()];
    const [idA, idB] = [newPeerId(), newPeerId()];
    const memberA = await joined(bus, 'r', idA, a);
    await joined(bus, 'r', idB, b);
    await joined(bus, 'elsewhere', newPeerId(), other);
    expect(bus.deliverTo(room('r'), idA, 'to-a')).toBe(true);
    expect(bus.deliverTo(room('elsewhere'), idA, 'nope')).toBe(false);
    bus.deliverAll(room('r'), 'to-all');
    expect([a.frames, b.frames, other.frames]).toEqual([['to-a', 'to-all'], ['to-all'], []]);
    expect(bus.members().map((m) => m.peerId).sort()).toHaveLength(3);
    bus.leave(memberA);
    expect(bus.deliverTo(room('r'), idA, 'late')).toBe(false);
    expect(bus.health()).toEqual({ status: 'ok' });
    expect(bus.figures()).toBeNull();
  });
});
