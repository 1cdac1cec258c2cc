/** (Re)inserts `key` as the newest entry, evicting the oldest past `max` entries. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

/** Decrements each countdown, forgetting those that reach zero. */
export function countDown<K>(ticksLeft: Map<K, number>): void {
  for (const [key, ticks] of ticksLeft) {
    if (ticks <= 1) ticksLeft.delete(key);
    else ticksLeft.set(key, ticks - 1);
  }
}
