import type { FileContent, FileResult, FileSource, FileSwarm, FileSwarmEvents, SignedEvent, TransferState } from '@shoal/shared';

/** A file event for state and component tests (the signature is not checked here). */
export function fileEvent(n: number, manifest: FileContent): SignedEvent {
  return {
    v: 2, id: `file${n}`.padEnd(43, 'x'), room: 'lobby', author: 'A'.repeat(43), seq: n, lamport: n, sentAt: 1_700_000_000_000 + n, kind: 'file',
    target: 'R'.repeat(43), publicKey: 'A'.repeat(43), signature: 'B'.repeat(86), body: JSON.stringify(manifest),
  } as SignedEvent;
}

export function manifestOf(fields: Partial<FileContent> = {}): FileContent {
  return { name: 'report.pdf', size: 3_000_000, type: 'application/pdf', chunkSize: 262_144, hash: 'H'.repeat(43), root: 'R'.repeat(43), ...fields };
}

/**
 * A FileSwarm whose transfers the test drives: `fetch` records the call and queues the transfer, `emit`
 * reports a state as the real swarm would; `share` answers with `shareResult`.
 */
export function fakeFileSwarm() {
  const handlers = new Set<(state: TransferState) => void>();
  const states = new Map<string, TransferState>();
  const fetched: string[] = [];
  const cancelled: string[] = [];
  const shared: FileSource[] = [];
  /** Transfers the fake runs at once; a fetch beyond is refused with BUSY, as the real swarm does. */
  let maxRunning = Number.POSITIVE_INFINITY;
  let shareResult: (source: FileSource) => FileResult<SignedEvent> = (source) => ({
    ok: true, value: fileEvent(shared.length, manifestOf({ name: source.name, size: source.size, type: source.type })),
  });
  const emit = (state: TransferState) => {
    states.set(state.fileId, state);
    for (const handler of handlers) handler(state);
  };
  const swarm: FileSwarm = {
    async share(source) {
      shared.push(source);
      return shareResult(source);
    },
    fetch(event, manifest) {
      const running = [...states.values()].filter((state) => state.phase === 'queued' || state.phase === 'downloading').length;
      if (running >= maxRunning) return { ok: false, error: { code: 'BUSY', message: `${maxRunning} transfers are running` } };
      fetched.push(event.id);
      emit({ fileId: event.id, phase: 'queued', receivedBytes: 0, totalBytes: manifest.size, bytesPerSecond: 0, sources: 0 });
      return { ok: true, value: undefined };
    },
    cancel: (fileId) => void cancelled.push(fileId),
    remove: async () => undefined,
    state: (fileId) => states.get(fileId) ?? null,
    read: () => null,
    on<K extends keyof FileSwarmEvents>(_event: K, handler: (payload: FileSwarmEvents[K]) => void) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    close: () => handlers.clear(),
  };
  return {
    swarm, emit, fetched, cancelled, shared,
    answerShares(next: (source: FileSource) => FileResult<SignedEvent>) {
      shareResult = next;
    },
    limitRunning(count: number) {
      maxRunning = count;
    },
  };
}
