import { type Clock, type Mesh, type MessageCodec, type SignedEvent, isSigned, parseContent, remember } from '@shoal/shared';
import type { FileResult, KeepingFileSwarm } from '@shoal/shared/files';

/** File events a keeper tracks per room (the oldest forgotten past it; the history brings them back on restart). */
export const MAX_TRACKED_FILES = 10_000;
/** A file whose transfer failed for want of a holder is tried again this often. */
export const FILE_RETRY_MS = 60_000;

export interface KeepFilesDeps {
  mesh: Pick<Mesh, 'on'>;
  swarm: KeepingFileSwarm;
  /** Members read the manifest (and so fetch with the file key at hand); null for a blind keeper. */
  codec: MessageCodec | null;
  clock: Clock;
  /** File events already stored when the keeper starts: their transfers resume. */
  stored: readonly SignedEvent[];
}

/**
 * A keeper fetches and stores every file of its rooms, within its swarm's maximum size and quota. A
 * member keeper fetches by manifest; a blind one keeps the ciphertext by the event's signed root alone.
 * Files past the swarm's concurrency bound wait and start as others finish; transfers that found no
 * holder are retried every FILE_RETRY_MS (a holder may come back). Files refused for their size or the
 * quota, or whose manifest is unreadable, are left alone.
 */
export function keepFiles(deps: KeepFilesDeps): { close(): void } {
  const known = new Map<string, SignedEvent>();
  const waiting = new Map<string, true>();
  const retryLater = new Set<string>();
  let pumping = false;

  async function attempt(event: SignedEvent): Promise<FileResult<void>> {
    if (!deps.codec) return deps.swarm.keep(event);
    const opened = await deps.codec.open(event.body);
    const manifest = opened.ok ? parseContent('file', opened.text) : null;
    if (!manifest?.ok) return { ok: false, error: { code: 'BAD_CHUNK', message: 'unreadable manifest' } };
    return deps.swarm.fetch(event, manifest.value);
  }

  /** Starts waiting files in arrival order until the swarm is busy. */
  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      for (const id of [...waiting.keys()]) {
        const event = known.get(id);
        const result = event ? await attempt(event) : null;
        if (result && !result.ok && result.error.code === 'BUSY') break;
        waiting.delete(id);
      }
    } finally {
      pumping = false;
    }
  }
  const want = (event: SignedEvent): void => {
    remember(known, event.id, event, MAX_TRACKED_FILES);
    remember(waiting, event.id, true, MAX_TRACKED_FILES);
    void pump();
  };

  const stopMessages = deps.mesh.on('message', (event) => {
    if (isSigned(event) && event.kind === 'file') want(event);
  });
  const stopTransfers = deps.swarm.on('transfer', (state) => {
    if (state.phase === 'downloading' || state.phase === 'queued') return;
    if (state.phase === 'failed' && (state.error?.code === 'NO_SOURCE' || state.error?.code === 'BUSY')) retryLater.add(state.fileId);
    void pump();
  });
  const retry = deps.clock.setInterval(() => {
    for (const id of retryLater) remember(waiting, id, true, MAX_TRACKED_FILES);
    retryLater.clear();
    void pump();
  }, FILE_RETRY_MS);
  for (const event of deps.stored) want(event);

  return {
    close() {
      deps.clock.clearInterval(retry);
      stopMessages();
      stopTransfers();
    },
  };
}
