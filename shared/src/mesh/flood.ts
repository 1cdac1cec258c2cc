/**
 * Flood routing decision for a chat message that was just accepted as new (the floodsub order:
 * seen? -> mark -> validate/verify -> deliver -> forward): forward to every authenticated link except
 * the one it came from and those `reached` already, unless it has already travelled `hopLimit` links.
 */
export interface FloodDecision<L> {
  forwardTo: L[];
  /** Hop count to put on forwarded copies. */
  hops: number;
  /** True when forwarding was suppressed by the hop limit (counted as hopLimitDropped). */
  hopLimited: boolean;
}

export function floodDecision<L>(
  links: readonly L[], from: L | null, hops: number, hopLimit: number, reached: (link: L) => boolean = () => false,
): FloodDecision<L> {
  const targets = links.filter((link) => link !== from && !reached(link));
  if (hops >= hopLimit) return { forwardTo: [], hops, hopLimited: targets.length > 0 };
  return { forwardTo: targets, hops: hops + 1, hopLimited: false };
}
