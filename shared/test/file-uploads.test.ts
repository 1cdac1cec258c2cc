import { describe, expect, it } from 'vitest';
import type { ChunkStore, FileFrame } from '../src/index';
import type { FilePort } from '../src/mesh/file-ports';
import { createFileUploads } from '../src/files/file-uploads';
import { createFakeClock, createMemoryChunkStore } from '../src/testing/index';
import { nextMacrotask, peerIdOf } from './helpers/sim';

const FILE = 'F'.repeat(43);
const INFO = { size: 4, chunkSize: 4, chunkHashes: ['A'.repeat(43)] };

describe('file uploads', () => {
  it('answers lookups in the order asked: one begun before the file was stored cannot overtake a later, fuller one', async () => {
    const memory = createMemoryChunkStore();
    let releaseFirst = (): void => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let lookups = 0;
    // The first lookup reads the store before the file is in it, and takes long to finish.
    const store: ChunkStore = {
      ...memory,
      async info(fileId) {
        const info = await memory.info(fileId);
        if (lookups++ === 0) await firstHeld;
        return info;
      },
    };
    const sent: FileFrame[] = [];
    const port: FilePort = { peerId: peerIdOf(1), sendFrame: (frame) => sent.push(frame) > 0, sendBytes: () => true, bufferedAmount: () => 0, strike: () => undefined };
    const uploads = createFileUploads({
      store, clock: createFakeClock(), onError: (error) => { throw error; },
      options: { maxQueuedPerLink: 16, uploadBudget: { perSecond: 1e6, burst: 1e6 }, highWaterBytes: 1e6, drainPollMs: 10 },
    });
    uploads.opened(port);
    const early = uploads.onFrame(port, { type: 'file-query', file: FILE });
    await Promise.resolve();
    await memory.begin(FILE, INFO);
    await memory.write(FILE, 0, Uint8Array.from([1, 2, 3, 4]));
    const late = uploads.onFrame(port, { type: 'file-query', file: FILE });
    // Time enough for the later lookup to finish, were it not waiting its turn.
    await nextMacrotask();
    releaseFirst();
    await Promise.all([early, late]);
    expect(sent.map((frame) => frame.type)).toEqual(['file-none', 'file-have']);
  });
});
