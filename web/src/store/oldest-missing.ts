import { type RoomEvent, compareEvents } from '@shoal/shared';

/**
 * The `limit` oldest of `messages` (stored rows and queued writes of one room, each already above the
 * requester's marks; a message may appear twice), oldest first (compareEvents).
 *
 * Picked per author in seq order, always taking the oldest head next, so each author's part is a prefix
 * of its seqs even when an author's Lamport times do not grow with its seqs: the requester's contiguous
 * mark then advances with every batch instead of stalling on a skipped seq.
 */
export function oldestMissing(messages: readonly RoomEvent[], limit: number): RoomEvent[] {
  const byAuthor = new Map<string, Map<string, RoomEvent>>();
  for (const message of messages) {
    let stream = byAuthor.get(message.author);
    if (!stream) byAuthor.set(message.author, (stream = new Map()));
    stream.set(message.id, message);
  }
  const streams = [...byAuthor.values()].map((stream) => [...stream.values()].sort((a, b) => a.seq - b.seq || compareEvents(a, b)));
  const heads = streams.map(() => 0);
  const picked: RoomEvent[] = [];
  while (picked.length < limit) {
    let best = -1;
    for (let s = 0; s < streams.length; s++) {
      const head = streams[s]?.[heads[s] ?? 0];
      const current = best < 0 ? undefined : streams[best]?.[heads[best] ?? 0];
      if (head && (!current || compareEvents(head, current) < 0)) best = s;
    }
    const next = streams[best]?.[heads[best] ?? 0];
    if (!next) break;
    picked.push(next);
    heads[best] = (heads[best] ?? 0) + 1;
  }
  return picked.sort(compareEvents);
}
