import { describe, expect, it } from 'vitest';
import { createMesh, toPeerId } from '../src/index';
import { createFakeClock, createMemoryHistory } from '../src/testing/index';
import { createInstantIdentity, createInstantVerifier } from './helpers/instant-crypto';
import { ROOM } from './helpers/sim';

describe('a store failing while the mesh starts', () => {
  it('reports the failure to onError instead of leaving an unhandled rejection', async () => {
    const store = createMemoryHistory();
    const failure = new Error('store closed');
    store.maxLamport = () => Promise.reject(failure);
    const errors: unknown[] = [];
    const reported = new Promise<void>((resolve) => {
      const mesh = createMesh({
        self: { peerId: toPeerId('00000000-0000-4000-8000-000000000001')!, name: 'a' },
        room: ROOM,
        identity: createInstantIdentity(1),
        verifier: createInstantVerifier(),
        store,
        clock: createFakeClock(),
        newId: () => '00000000-0000-4000-8000-000000000002',
        onError: (error) => {
          errors.push(error);
          mesh.close();
          resolve();
        },
      });
    });
    await reported;
    expect(errors).toEqual([failure]);
  });
});
