import { type PeerId, type RoomName, RoomNameSchema, toPeerId } from '@shoal/shared';
import * as v from 'valibot';

/** A valid PeerId whose sort order follows `n` (lower n sorts first). */
export function peerId(n: number): PeerId {
  const id = toPeerId(`00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`);
  if (!id) throw new Error('bad test peer id');
  return id;
}

export const room = (name: string): RoomName => v.parse(RoomNameSchema, name);
