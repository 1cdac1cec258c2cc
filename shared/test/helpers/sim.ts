import { expect, vi } from 'vitest';
import { nextMacrotask, type SimNetwork } from './sim-network';

export * from './sim-network';

/** Waits (bounded) until `check` stops throwing; never a fixed sleep. */
export function eventually<T>(check: () => T, timeout = 4_000): Promise<T> {
  return vi.waitFor(check, { timeout, interval: 5 });
}

/**
 * Waits until the network is quiet: no frame sent, received or delivered for a few polls
 * (signing and verifying run on real time, so a tick's consequences need real time to play out).
 */
export async function settle(network: SimNetwork): Promise<void> {
  // Every link, store and signature then resolves in microtasks, and a macrotask runs only once the
  // microtask queue is empty: one turn is exact quiet.
  if (network.instantCrypto) return nextMacrotask();
  let last = '';
  let stable = 0;
  await eventually(() => {
    const c = network.peers.map((p) => p.mesh.counters());
    const sent = c.reduce((s, x) => s + x.framesSent, 0);
    const received = c.reduce((s, x) => s + x.framesReceived, 0);
    const now = `${sent}/${received}/${c.reduce((s, x) => s + x.delivered, 0)}`;
    stable = now === last ? stable + 1 : 0;
    last = now;
    // 10 polls (~50 ms) of quiet: signatures run on the thread pool, and a shorter window could take a
    // busy pool for quiet, advance the fake clock early, and time out pongs still in flight.
    expect(stable).toBeGreaterThanOrEqual(10);
  }, 20_000);
}

