import { afterEach, describe, expect, it } from 'vitest';
import { deriveRoomKey, encodeContent, type FileContent, type MessageCodec, roomKeyCodec, type SignedEvent } from '../src/index';
import type { ChunkStore } from '../src/files/index';
import { createFileNet, type FileNet, manifestOf, memorySource, randomBytesOf, readAll } from './helpers/files';
import { onlineCount } from './helpers/sim';

let net: FileNet | undefined;
afterEach(() => net?.close());

const CHUNK = 4096;

/** Builds a net of `size` peers, links the given pairs and waits until those links are open. */
async function linked(size: number, pairs: Array<[number, number]>, opts: Parameters<typeof createFileNet>[1] = {}): Promise<FileNet> {
  const built = await createFileNet(size, opts);
  net = built;
  for (const [i, j] of pairs) built.net.connect(i, j);
  const degree = (i: number) => pairs.filter(([a, b]) => a === i || b === i).length;
  await built.until(() => built.net.peers.forEach((p) => expect(onlineCount(p)).toBe(degree(p.index))));
  return built;
}

async function share(n: FileNet, i: number, bytes: Uint8Array, codec?: MessageCodec): Promise<{ event: SignedEvent; manifest: FileContent }> {
  const shared = await n.files[i]!.swarm.share(memorySource(bytes));
  if (!shared.ok) throw new Error(shared.error.message);
  return { event: shared.value, manifest: await manifestOf(shared.value, codec) };
}

async function fetched(n: FileNet, i: number, file: { event: SignedEvent; manifest: FileContent }): Promise<void> {
  expect(n.files[i]!.swarm.fetch(file.event, file.manifest)).toEqual({ ok: true, value: undefined });
  await n.until(() => expect(n.files[i]!.swarm.state(file.event.id)?.phase).toBe('complete'));
}

/** A store that runs `after` once its `count`-th chunk was written (to act mid-transfer, deterministically). */
function onWrites(store: ChunkStore, count: number, after: () => void): ChunkStore & { writes: number } {
  const wrapped = {
    ...store,
    writes: 0,
    async write(fileId: string, index: number, bytes: Uint8Array) {
      const result = await store.write(fileId, index, bytes);
      if (++wrapped.writes === count) after();
      return result;
    },
  };
  return wrapped;
}

describe('file swarm over memory links', () => {
  it('shares a file and a linked peer fetches the same bytes, reading the source in slices', async () => {
    const n = await linked(2, [[0, 1]]);
    const bytes = randomBytesOf(50_000);
    const source = memorySource(bytes);
    const shared = await n.files[0]!.swarm.share(source);
    if (!shared.ok) throw new Error(shared.error.message);
    expect(source.largestRead).toBe(CHUNK);
    const manifest = await manifestOf(shared.value);
    expect(manifest.root).toBe(shared.value.target);
    await fetched(n, 1, { event: shared.value, manifest });
    expect(await readAll(n.files[1]!.swarm, shared.value.id)).toEqual(bytes);
  });

  it('pulls from three holders in parallel', { timeout: 20_000 }, async () => {
    const n = await linked(4, [[0, 1], [0, 2], [0, 3], [1, 3], [2, 3]]);
    const bytes = randomBytesOf(400_000);
    const file = await share(n, 0, bytes);
    await fetched(n, 1, file);
    await fetched(n, 2, file);
    const before = n.net.wires.map((w) => w.binaryBytes());
    await fetched(n, 3, file);
    // Wires 2, 3 and 4 lead to peer 3 (from 0, 1 and 2): each carried a real share of the chunks.
    const carried = n.net.wires.map((w, i) => w.binaryBytes() - (before[i] ?? 0));
    for (const wire of [2, 3, 4]) expect(carried[wire]).toBeGreaterThan(bytes.length / 10);
    expect(await readAll(n.files[3]!.swarm, file.event.id)).toEqual(bytes);
  });

  it('completes from the other holders when one leaves mid-transfer', { timeout: 20_000 }, async () => {
    const n = await linked(4, [[0, 1], [0, 2], [1, 3], [2, 3]]);
    const bytes = randomBytesOf(300_000);
    const file = await share(n, 0, bytes);
    await fetched(n, 1, file);
    await fetched(n, 2, file);
    // Peer 3 loses its link to holder 1 after its 10th chunk, with requests to 1 still in flight.
    const store = onWrites(n.files[3]!.store, 10, () => n.net.wires[2]!.cut());
    const swarm = n.restart(3, store).swarm;
    await fetched(n, 3, file);
    expect(store.writes).toBe(Math.ceil(bytes.length / CHUNK));
    expect(await readAll(swarm, file.event.id)).toEqual(bytes);
  });
});
