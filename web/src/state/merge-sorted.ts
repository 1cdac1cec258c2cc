/**
 * Merges two arrays sorted by `compare` into a new sorted array in O(a + b). Appending at the end, the
 * common case of a live chat, costs one concat instead of re-sorting the whole log.
 */
export function mergeSorted<T extends object>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): T[] {
  const last = a[a.length - 1];
  const first = b[0];
  if (!last || !first || compare(last, first) <= 0) return a.concat(b);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  for (;;) {
    const x = a[i];
    const y = b[j];
    if (x && (!y || compare(x, y) <= 0)) {
      out.push(x);
      i++;
    } else if (y) {
      out.push(y);
      j++;
    } else {
      return out;
    }
  }
}
