import type { PeerId, RoomName } from '@shoal/shared';
import type { BusHealth, JoinOutcome, Mailbox, MemberHandle, RoomBus } from './room-bus';

export interface InProcessRoomBusOptions {
  /** Members allowed in one room. */
  maxPeersPerRoom: number;
  /** Uniform random number in [0, 1) used to sample peer lists. Default Math.random. */
  random?: () => number;
}

interface Member extends MemberHandle {
  readonly mailbox: Mailbox;
  /** Position in Room.order; kept so removal is O(1) (swap with the last). */
  index: number;
}

interface Room {
  members: Map<string, Member>;
  /** Members in arbitrary order, for O(k) random sampling without copying the whole room. */
  order: Member[];
}

/**
 * The in-process bus, plus delivery by name for a distributed bus that keeps its local members in one
 * (frames arriving from other processes name a room and a peer, not a handle).
 */
export interface InProcessRoomBus extends RoomBus {
  /** Delivers a frame to member `to` of `room`; false when it is not a member here. */
  deliverTo(room: RoomName, to: PeerId, frame: string | Buffer): boolean;
  /** Delivers a frame to every member of `room` here. */
  deliverAll(room: RoomName, frame: string | Buffer): void;
  /** Every live membership here. */
  members(): MemberHandle[];
}

const HEALTHY: BusHealth = { status: 'ok' };

/** Rooms in memory, for a single server process. */
export function createInProcessRoomBus(options: InProcessRoomBusOptions): InProcessRoomBus {
  const random = options.random ?? Math.random;
  const rooms = new Map<string, Room>();
  let peers = 0;

  /** The room of a live membership, or null when the handle is stale (already left). */
  function roomOf(member: MemberHandle): Room | null {
    const room = rooms.get(member.room);
    return room && room.members.get(member.peerId) === member ? room : null;
  }

  function remove(member: MemberHandle): void {
    const room = roomOf(member);
    const self = room?.members.get(member.peerId);
    if (!room || !self) return;
    room.members.delete(member.peerId);
    const last = room.order.pop();
    if (last && last !== self) {
      room.order[self.index] = last;
      last.index = self.index;
    }
    peers--;
    if (room.members.size === 0) rooms.delete(member.room);
  }

  /** Uniform sample without replacement: a partial Fisher–Yates, O(limit) work per join. */
  function sample(room: Room, exclude: Member, limit: number): PeerId[] {
    const order = room.order;
    const n = order.length;
    const picked: PeerId[] = [];
    if (n - 1 <= limit) {
      for (const m of order) if (m !== exclude) picked.push(m.peerId);
      return picked;
    }
    // Swaps are recorded in a sparse map instead of shuffling the room's own array.
    const swapped = new Map<number, number>();
    for (let i = 0; picked.length < limit && i < n; i++) {
      const j = i + Math.floor(random() * (n - i));
      const at = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      const member = order[at];
      if (member && member !== exclude) picked.push(member.peerId);
    }
    return picked;
  }

  return {
    async join(name, peerId, mailbox, peerListLimit): Promise<JoinOutcome> {
      let room = rooms.get(name);
      if (room?.members.has(peerId)) return { ok: false, code: 'DUPLICATE_PEER' };
      if (room && room.members.size >= options.maxPeersPerRoom) return { ok: false, code: 'ROOM_FULL' };
      if (!room) {
        room = { members: new Map(), order: [] };
        rooms.set(name, room);
      }
      const member: Member = { peerId, room: name, mailbox, index: room.order.length };
      room.members.set(peerId, member);
      room.order.push(member);
      peers++;
      return { ok: true, member, peers: sample(room, member, peerListLimit) };
    },
    sendTo(from, to, frame) {
      const target = roomOf(from)?.members.get(to);
      if (!target || target === from) return false;
      target.mailbox.send(frame);
      return true;
    },
    broadcast(from, frame) {
      const room = roomOf(from);
      if (room) for (const m of room.order) if (m !== from) m.mailbox.send(frame);
    },
    leave: remove,
    stats: () => ({ rooms: rooms.size, peers }),
    health: () => HEALTHY,
    figures: () => null,
    close: () => Promise.resolve(),
    deliverTo(room, to, frame) {
      const target = rooms.get(room)?.members.get(to);
      if (!target) return false;
      target.mailbox.send(frame);
      return true;
    },
    deliverAll(room, frame) {
      const members = rooms.get(room)?.order;
      if (members) for (const m of members) m.mailbox.send(frame);
    },
    members: () => [...rooms.values()].flatMap((room) => room.order),
  };
}
