import type { PeerId, RoomName } from '@shoal/shared';
import type { JoinOutcome, Mailbox, Membership, RoomBus } from './room-bus';

export interface InProcessRoomBusOptions {
  /** Members allowed in one room. */
  maxPeersPerRoom: number;
  /** Uniform random number in [0, 1) used to sample peer lists. Default Math.random. */
  random?: () => number;
}

interface Member {
  id: PeerId;
  mailbox: Mailbox;
  /** Position in Room.order; kept so removal is O(1) (swap with the last). */
  index: number;
}

interface Room {
  name: RoomName;
  members: Map<string, Member>;
  /** Members in arbitrary order, for O(k) random sampling without copying the whole room. */
  order: Member[];
}

/** Rooms in memory, for a single server process. */
export function createInProcessRoomBus(options: InProcessRoomBusOptions): RoomBus {
  const random = options.random ?? Math.random;
  const rooms = new Map<string, Room>();
  let peers = 0;

  function remove(room: Room, member: Member): void {
    if (room.members.get(member.id) !== member) return;
    room.members.delete(member.id);
    const last = room.order.pop();
    if (last && last !== member) {
      room.order[member.index] = last;
      last.index = member.index;
    }
    peers--;
    if (room.members.size === 0) rooms.delete(room.name);
  }

  /** Uniform sample without replacement: a partial Fisher–Yates, O(limit) work per join. */
  function sample(room: Room, exclude: Member, limit: number): PeerId[] {
    const order = room.order;
    const n = order.length;
    const picked: PeerId[] = [];
    if (n - 1 <= limit) {
      for (const m of order) if (m !== exclude) picked.push(m.id);
      return picked;
    }
    // Swaps are recorded in a sparse map instead of shuffling the room's own array.
    const swapped = new Map<number, number>();
    for (let i = 0; picked.length < limit && i < n; i++) {
      const j = i + Math.floor(random() * (n - i));
      const at = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      const member = order[at];
      if (member && member !== exclude) picked.push(member.id);
    }
    return picked;
  }

  function membershipOf(room: Room, self: Member): Membership {
    return {
      sendTo(to, frame) {
        const target = room.members.get(to);
        if (!target || target === self) return false;
        target.mailbox.send(frame);
        return true;
      },
      broadcast(frame) {
        for (const m of room.order) if (m !== self) m.mailbox.send(frame);
      },
      leave() {
        remove(room, self);
      },
    };
  }

  return {
    async join(name, peerId, mailbox, peerListLimit): Promise<JoinOutcome> {
      let room = rooms.get(name);
      if (room?.members.has(peerId)) return { ok: false, code: 'DUPLICATE_PEER' };
      if (room && room.members.size >= options.maxPeersPerRoom) return { ok: false, code: 'ROOM_FULL' };
      if (!room) {
        room = { name, members: new Map(), order: [] };
        rooms.set(name, room);
      }
      const member: Member = { id: peerId, mailbox, index: room.order.length };
      room.members.set(peerId, member);
      room.order.push(member);
      peers++;
      return { ok: true, membership: membershipOf(room, member), peers: sample(room, member, peerListLimit) };
    },
    stats: () => ({ rooms: rooms.size, peers }),
  };
}
