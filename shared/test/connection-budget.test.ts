import { describe, expect, it } from 'vitest';
import { createConnectionBudget } from '../src/link/connection-budget';
import type { PeerConnection } from '../src/link/peer-connection';

function fakeFactory() {
  const made: Array<{ close(): void }> = [];
  const create = (): PeerConnection => {
    const handlers: Array<() => void> = [];
    made.push({ close: () => handlers.splice(0).forEach((h) => h()) });
    return { signal() {}, onSignal() {}, onConnect() {}, onClose: (h) => void handlers.push(h), destroy() {} };
  };
  return { create, made };
}

const closed = (connection: PeerConnection) => new Promise<void>((resolve) => connection.onClose(resolve));

describe('the live-connection budget', () => {
  it('allows max live connections and refuses the next with a connection that closes at once', async () => {
    const factory = fakeFactory();
    const budget = createConnectionBudget(factory.create, 3);
    for (let i = 0; i < 3; i++) budget.create({ initiator: true, iceServers: [] });
    expect(budget.live()).toBe(3);
    const over = budget.create({ initiator: true, iceServers: [] });
    await closed(over);
    expect(factory.made).toHaveLength(3);
    expect(budget.refused()).toBe(1);
  });

  it('gives a closed connection’s place to the next attempt, however many come and go', async () => {
    const factory = fakeFactory();
    const budget = createConnectionBudget(factory.create, 2);
    for (let i = 0; i < 1_000; i++) {
      budget.create({ initiator: false, iceServers: [] });
      factory.made[i]!.close();
      factory.made[i]!.close();
    }
    expect(budget.live()).toBe(0);
    expect(budget.refused()).toBe(0);
  });
});
