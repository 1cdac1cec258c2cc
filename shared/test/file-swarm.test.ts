import { afterEach, describe, expect, it } from 'vitest';
import { deriveRoomKey, encodeContent, type FileContent, isSigned, type MessageCodec, roomKeyCodec, type SignedEvent } from '../src/index';
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

/** A diamond 0 - {1, 2} - 3: peer 0 shares `size` random bytes and peers 1 and 2 fetch them; 3 has not. */
async function diamond(size: number) {
  const n = await linked(4, [[0, 1], [0, 2], [1, 3], [2, 3]]);
  const bytes = randomBytesOf(size);
  const file = await share(n, 0, bytes);
  await fetched(n, 1, file);
  await fetched(n, 2, file);
  return { n, bytes, file };
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

  it('an author whose app fetches its own picture as the event appears (before the chunks are stored) still serves the right bytes', async () => {
    const n = await linked(2, [[0, 1]]);
    const author = n.files[0]!.swarm;
    // The web app fetches small pictures as soon as their event is seen, and the mesh emits the author's own
    // event while share() has yet to store the chunks: that fetch must not start a download of them.
    const fetches: Array<ReturnType<typeof author.fetch>> = [];
    n.net.peers[0]!.mesh.on('message', (event) => {
      if (isSigned(event) && event.kind === 'file') void manifestOf(event).then((manifest) => fetches.push(author.fetch(event, manifest)));
    });
    const bytes = randomBytesOf(3 * CHUNK + 100);
    const file = await share(n, 0, bytes);
    await n.until(() => expect(fetches).toHaveLength(1));
    expect(fetches[0]).toEqual({ ok: true, value: undefined });
    expect(author.state(file.event.id)?.phase).toBe('complete');
    await fetched(n, 1, file);
    expect(await readAll(n.files[1]!.swarm, file.event.id)).toEqual(bytes);
    expect(n.files[1]!.swarm.counters().badChunks).toBe(0);
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
    const { n, bytes, file } = await diamond(300_000);
    // Peer 3 loses its link to holder 1 after its 10th chunk, with requests to 1 still in flight.
    const store = onWrites(n.files[3]!.store, 10, () => n.net.wires[2]!.cut());
    const swarm = n.restart(3, store).swarm;
    await fetched(n, 3, file);
    expect(store.writes).toBe(Math.ceil(bytes.length / CHUNK));
    expect(await readAll(swarm, file.event.id)).toEqual(bytes);
  });

  it('lets a newcomer complete from an earlier downloader once the author is gone', { timeout: 20_000 }, async () => {
    const n = await linked(3, [[0, 1]]);
    const bytes = randomBytesOf(60_000);
    const file = await share(n, 0, bytes);
    await fetched(n, 1, file);
    n.net.peers[0]!.mesh.close();
    n.net.connect(1, 2);
    await n.until(() => expect(onlineCount(n.net.peers[2]!)).toBe(1));
    await fetched(n, 2, file);
    expect(await readAll(n.files[2]!.swarm, file.event.id)).toEqual(bytes);
  });

  it('resumes after a restart from the chunks its store kept, fetching only the rest', { timeout: 20_000 }, async () => {
    const n = await linked(2, [[0, 1]]);
    const bytes = randomBytesOf(200_000);
    const chunks = Math.ceil(bytes.length / CHUNK);
    const file = await share(n, 0, bytes);
    const persistent = n.files[1]!.store;
    // The page reloads after 20 chunks were stored: the swarm goes, the store stays.
    const first = onWrites(persistent, 20, () => n.files[1]!.swarm.close());
    n.restart(1, first);
    expect(n.files[1]!.swarm.fetch(file.event, file.manifest).ok).toBe(true);
    await n.until(() => expect(first.writes).toBeGreaterThanOrEqual(20));
    const kept = (await persistent.held(file.event.id)).size;
    expect(kept).toBeGreaterThanOrEqual(20);
    const second = onWrites(persistent, Number.POSITIVE_INFINITY, () => undefined);
    n.restart(1, second);
    await fetched(n, 1, file);
    expect(second.writes).toBe(chunks - kept);
    expect(await readAll(n.files[1]!.swarm, file.event.id)).toEqual(bytes);
  });

  it('drops a corrupt chunk, strikes its sender and completes from an honest holder', { timeout: 20_000 }, async () => {
    const { n, bytes, file } = await diamond(80_000);
    // Holder 1's copy of every chunk is altered (a lying peer, or its disk rotted).
    const liar = n.files[1]!.memory;
    for (let i = 0; i < Math.ceil(bytes.length / CHUNK); i++) liar.corrupt(file.event.id, i, new Uint8Array(CHUNK).fill(1));
    await fetched(n, 3, file);
    expect(await readAll(n.files[3]!.swarm, file.event.id)).toEqual(bytes);
    // The chunks it had in flight all fail; it is struck once and never asked again, so the link stays.
    expect(n.files[3]!.swarm.counters().badChunks).toBeGreaterThanOrEqual(1);
    expect(n.files[3]!.swarm.counters().badChunks).toBeLessThanOrEqual(16);
    expect(n.net.peers[3]!.mesh.counters().abusiveLinksClosed).toBe(0);
    expect(n.net.wires[2]!.binaryBytes()).toBeLessThan(bytes.length / 2);
  });

  it('removes the bytes when the author deletes the file event', { timeout: 20_000 }, async () => {
    const n = await linked(2, [[0, 1]]);
    const file = await share(n, 0, randomBytesOf(20_000));
    await fetched(n, 1, file);
    await n.net.peers[0]!.mesh.publish({ kind: 'delete', target: file.event.id, body: encodeContent('delete', {}) });
    await n.until(async () => expect(await n.files[1]!.store.info(file.event.id)).toBeNull());
    await n.until(async () => expect(await n.files[0]!.store.info(file.event.id)).toBeNull());
    expect(n.files[1]!.swarm.read(file.event.id)).toBeNull();
  });
});

describe('file swarm in a big room', () => {
  it('asks for a link on demand to a member beyond its neighbours when none of them holds the file', { timeout: 20_000 }, async () => {
    // A line 0 - 1 - 2: only 0 holds the file, and 2 learns of 0 from the gossiped topology alone.
    const n = await linked(3, [[0, 1], [1, 2]], { options: () => ({ seekAfterMs: 1_000 }) });
    const wanted: string[] = [];
    n.net.peers[2]!.mesh.on('want-link', ({ peerId, via }) => {
      if (via === n.net.peers[2]!.id && !wanted.includes(peerId)) {
        wanted.push(peerId);
        // The connector's part, played by the test: dial whoever the mesh asks for.
        n.net.connect(2, n.net.peers.findIndex((p) => p.id === peerId));
      }
    });
    const file = await share(n, 0, randomBytesOf(30_000));
    expect(n.files[2]!.swarm.fetch(file.event, file.manifest).ok).toBe(true);
    await n.until(() => expect(n.files[2]!.swarm.state(file.event.id)?.phase).toBe('complete'));
    expect(wanted).toEqual([n.net.peers[0]!.id]);
    expect(n.files[1]!.swarm.state(file.event.id)).toBeNull();
  });
});

describe('file swarm in a private room', () => {
  it('a blind keeper stores and serves the ciphertext; a member decrypts the same bytes from it alone', { timeout: 20_000 }, async () => {
    const key = await deriveRoomKey('secret-room', 'correct horse', { iterations: 1_000 });
    const member = roomKeyCodec(key);
    const n = await linked(3, [[0, 1]], { codec: (i) => (i === 1 ? undefined : member) });
    const bytes = randomBytesOf(50_000);
    const file = await share(n, 0, bytes, member);
    expect(file.manifest.key).toHaveLength(43);
    expect(file.manifest.hash).not.toBe(file.manifest.root);
    // Peer 1 cannot read the manifest: it keeps the file by its signed root alone.
    expect(n.files[1]!.swarm.keep(file.event).ok).toBe(true);
    await n.until(() => expect(n.files[1]!.swarm.state(file.event.id)?.phase).toBe('complete'));
    const stored = await n.files[1]!.store.read(file.event.id, 0);
    expect(stored?.length).toBe(CHUNK + 16);
    expect(stored).not.toEqual(bytes.slice(0, CHUNK));
    expect(n.files[1]!.swarm.read(file.event.id)).toBeNull();
    n.net.peers[0]!.mesh.close();
    n.net.connect(1, 2);
    await n.until(() => expect(onlineCount(n.net.peers[2]!)).toBe(1));
    await fetched(n, 2, file);
    expect(await readAll(n.files[2]!.swarm, file.event.id)).toEqual(bytes);
  });
});
