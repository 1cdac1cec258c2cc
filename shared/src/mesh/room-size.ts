/**
 * Whether a room has outgrown a full mesh. The one rule both sides of link forming apply — the connector
 * (which peers to dial when signaling introduces them) and peer exchange (which links to want or shed) —
 * each feeding the estimates it has: members signaling listed, peers heard of through links, the
 * gossiped topology. The largest wins: an estimate only ever undercounts a room.
 */
export function isBigRoom(estimates: readonly number[], fullMeshUpTo: number): boolean {
  return Math.max(0, ...estimates) > fullMeshUpTo;
}
