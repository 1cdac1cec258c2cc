import type { LegacyMessage, PeerId, RoomName } from '@shoal/shared';

/** A well-formed (unsigned-for-real) v1 chat message for store and state tests; ids sort by `n`. */
export function chatMessage(room: RoomName, author: PeerId, seq: number, lamport: number, n = lamport): LegacyMessage {
  return {
    id: `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    room,
    author,
    seq,
    lamport,
    sentAt: 1_700_000_000_000 + lamport,
    name: 'someone',
    body: `message ${n}`,
    publicKey: 'A'.repeat(43),
    signature: 'B'.repeat(86),
  };
}
