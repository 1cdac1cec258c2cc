import { describe, expect, it } from 'vitest';
import { runBroadcast } from './helpers/broadcast-run';

/**
 * Broadcast trees in big rooms (issue 14), simulated: rooms of 60–200 peers linked by peer exchange alone
 * (bounded degree, default options past fullMeshUpTo), instant crypto, fake clock. Each run is
 * deterministic for its seed; a 200-peer room takes ~20 s of CPU (most of it forming the overlay), minutes
 * of wall time on a loaded 2-core machine, hence the long timeouts. bench:broadcast runs bigger rooms.
 */
describe('broadcast trees', () => {
  it.each([1, 2])('delivers every message to all 200 peers about once each in a stable room (seed %i)', async (seed) => {
    const figures = await runBroadcast({ peers: 200, messages: 40, churn: 0, seed });
    expect(figures.delivery).toBe(1);
    // Flooding the same overlay costs ~13 copies per delivery (bench:broadcast prints both).
    expect(figures.copiesPerDeliverySteady).toBeLessThanOrEqual(1.2);
    expect(figures.viaHistory).toBe(0);
    // Logarithmic depth: well under 2·log2(200) ≈ 15 hops.
    expect(figures.p99Hops).toBeLessThanOrEqual(15);
  }, 400_000);

  it('keeps delivery whole with 30 % of the peers leaving and as many joining, at ≤ 1.5 copies', async () => {
    const figures = await runBroadcast({ peers: 100, messages: 40, churn: 0.3, seed: 4 });
    expect(figures.delivery).toBe(1);
    expect(figures.copiesPerDelivery).toBeLessThanOrEqual(1.5);
  }, 400_000);

  it('routes around relays that accept every copy and pass on nothing, by the lazy path and not by history', async () => {
    // The first peers of the starting tree hold the most links: the likeliest tree relays to fail.
    const silent = new Set(Array.from({ length: 10 }, (_, i) => i));
    const figures = await runBroadcast({ peers: 60, messages: 20, churn: 0, seed: 5, silent });
    expect(figures.delivery).toBe(1);
    expect(figures.viaHistory).toBe(0);
    // The silent relays were routed around by grafts (with grafting off, history sync had to bring them).
    expect(figures.grafts).toBeGreaterThan(0);
  }, 400_000);
});
