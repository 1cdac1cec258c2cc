import type { ChunkStore, FileSwarm, FileSwarmCounters, TransferState } from '@shoal/shared';

/** What e2e tests read and do to a tab's files (`window.shoalFiles`, with `?testHooks=1` only). */
export interface FileTestHooks {
  state(fileId: string): TransferState | null;
  /** What the swarm did with peers' bytes (bad chunks refused, chunks stored, bytes served). */
  counters(): FileSwarmCounters;
  /**
   * Indexes of the chunks the store answered to this page load's first `held` call (what a resume starts
   * from): the first call, not the first answer, since a later call may see chunks committed meanwhile.
   */
  heldOnOpen(fileId: string): Promise<number[] | null>;
  /** Indexes of the chunks this page load wrote. */
  written(fileId: string): number[];
  /** From now on every chunk this tab reads from its store (to serve or to show) has its first byte flipped. */
  corruptReads(): void;
}

/** A swarm that reports its counters (KeepingFileSwarm does). */
export type CountedSwarm = FileSwarm & { counters(): FileSwarmCounters };

declare global {
  interface Window {
    shoalFiles?: FileTestHooks;
  }
}

/**
 * Wraps the room's chunk store to record what the tests assert on, and installs the hooks; the store is
 * returned unwrapped when the page did not ask for test hooks.
 */
export function instrumentChunkStore(search: string, target: { shoalFiles?: FileTestHooks }, store: ChunkStore): { store: ChunkStore; bind(swarm: CountedSwarm): () => void } {
  if (new URLSearchParams(search).get('testHooks') !== '1') return { store, bind: () => () => {} };
  const heldOnOpen = new Map<string, Promise<number[]>>();
  const written = new Map<string, number[]>();
  let corrupt = false;
  const instrumented: ChunkStore = {
    ...store,
    held(fileId) {
      const held = store.held(fileId);
      if (!heldOnOpen.has(fileId)) heldOnOpen.set(fileId, held.then((indexes) => [...indexes].sort((a, b) => a - b)));
      return held;
    },
    async read(fileId, index) {
      const bytes = await store.read(fileId, index);
      if (!bytes || !corrupt || bytes.byteLength === 0) return bytes;
      const flipped = bytes.slice();
      flipped[0] = (flipped[0] ?? 0) ^ 0xff;
      return flipped;
    },
    async write(fileId, index, bytes) {
      const result = await store.write(fileId, index, bytes);
      if (result.ok) written.set(fileId, [...(written.get(fileId) ?? []), index]);
      return result;
    },
  };
  return {
    store: instrumented,
    bind(swarm) {
      target.shoalFiles = {
        state: (fileId) => swarm.state(fileId),
        counters: () => swarm.counters(),
        heldOnOpen: async (fileId) => (await heldOnOpen.get(fileId)) ?? null,
        written: (fileId) => written.get(fileId) ?? [],
        corruptReads() {
          corrupt = true;
        },
      };
      return () => {
        delete target.shoalFiles;
      };
    },
  };
}
