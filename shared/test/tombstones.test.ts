import { describe, expect, it } from 'vitest';
import { createIdentity, createSignatureVerifier, generateIdentityKeyPair, isRedacted } from '../src/index';
import { createMemoryHistory } from '../src/testing/index';
import { createTombstones } from '../src/mesh/tombstones';
import { eventSigner } from './helpers/events';
import { ROOM } from './helpers/sim';

describe('tombstones', () => {
  it('redacts a late copy of content whose delete was stored in an earlier session', async () => {
    const sign = eventSigner(await createIdentity(await generateIdentityKeyPair()));
    const said = await sign({ body: '{"text":"regret","name":"a"}' });
    const removal = await sign({ kind: 'delete', target: said.id, body: '' });
    const store = createMemoryHistory();
    await store.put(removal);
    // A new session over the same store: it learns which ids were deleted from the store itself.
    const tombstones = createTombstones({ room: ROOM, store, verifier: createSignatureVerifier() });
    const stored = await tombstones.storedForm(said);
    expect(isRedacted(stored)).toBe(true);
    const untouched = await sign({ body: '{"text":"fine","name":"a"}' });
    expect(await tombstones.storedForm(untouched)).toBe(untouched);
  });
});
