import { type ReadonlySignal, type Signal, signal } from '@preact/signals';
import type { FileContent, FileResult, FileSource, FileSwarm, SignedEvent, TransferState } from '@shoal/shared';
import { AUTO_FETCH_PICTURE_BYTES, inlinePictureType } from './picture-type';

export interface FileTransfersDeps {
  swarm: FileSwarm;
  /** Whether earlier page loads stored part of this file (a transfer to resume). */
  begun(fileId: string): Promise<boolean>;
  /** The verified plaintext of a complete file as a Blob on disk (see OpfsChunkStore). */
  plaintext(fileId: string): Promise<FileResult<Blob>>;
  /** Shows the author's own `file` event in the log at once (ChatState.show). */
  show(event: SignedEvent): void;
  /** Pictures up to this size are fetched when their event is seen. Default AUTO_FETCH_PICTURE_BYTES. */
  autoFetchBytes?: number;
}

/** The room's files as the view uses them: sharing, per-file transfer state, fetching and reading. */
export interface FileTransfers {
  /** One file's transfer as it changes; null while nothing was fetched or shared here. */
  transfer(fileId: string): ReadonlySignal<TransferState | null>;
  /** Why the last share failed (one line per file), null after a share went through. */
  readonly shareError: ReadonlySignal<string | null>;
  /**
   * Names of the files being hashed and stored, not yet in the log: a big file takes a while before its
   * event exists (the swarm publishes it, then stores the chunks), so the author sees it is on its way.
   */
  readonly sharing: ReadonlySignal<readonly string[]>;
  /** Shares files one after another (each is read in slices, never whole). */
  share(files: readonly File[]): Promise<void>;
  /** A `file` event seen in the log: resumes what an earlier load began, fetches small pictures. */
  seen(event: SignedEvent, manifest: FileContent): void;
  /** Starts, resumes or retries fetching a seen file. */
  fetch(fileId: string): void;
  cancel(fileId: string): void;
  plaintext(fileId: string): Promise<FileResult<Blob>>;
  dispose(): void;
}

export function createFileTransfers(deps: FileTransfersDeps): FileTransfers {
  const autoFetchBytes = deps.autoFetchBytes ?? AUTO_FETCH_PICTURE_BYTES;
  const states = new Map<string, Signal<TransferState | null>>();
  const events = new Map<string, { event: SignedEvent; manifest: FileContent }>();
  const shareError = signal<string | null>(null);
  const sharing = signal<readonly string[]>([]);
  const stateOf = (fileId: string) => {
    let state = states.get(fileId);
    if (!state) states.set(fileId, (state = signal(deps.swarm.state(fileId))));
    return state;
  };
  /**
   * Files refused because the swarm runs its maximum of transfers (BUSY): asked again, in order, as
   * transfers end, so a room opening with many pictures fetches them all rather than failing the rest.
   */
  const waiting: string[] = [];
  const off = deps.swarm.on('transfer', (update) => {
    stateOf(update.fileId).value = update;
    if (update.phase !== 'queued' && update.phase !== 'downloading') {
      const next = waiting.shift();
      if (next !== undefined) fetch(next);
    }
  });

  const fetch = (fileId: string) => {
    const known = events.get(fileId);
    if (!known) return;
    const started = deps.swarm.fetch(known.event, known.manifest);
    if (started.ok) return;
    const busy = started.error.code === 'BUSY';
    if (busy && !waiting.includes(fileId)) waiting.push(fileId);
    const { size } = known.manifest;
    stateOf(fileId).value = busy
      ? { fileId, phase: 'queued', receivedBytes: 0, totalBytes: size, bytesPerSecond: 0, sources: 0 }
      : { fileId, phase: 'failed', receivedBytes: 0, totalBytes: size, bytesPerSecond: 0, sources: 0, error: started.error };
  };

  return {
    transfer: stateOf,
    shareError,
    sharing,
    async share(files) {
      const problems: string[] = [];
      sharing.value = [...sharing.value, ...files.map((file) => file.name)];
      for (const file of files) {
        const shared = await deps.swarm.share(browserFileSource(file));
        sharing.value = withoutFirst(sharing.value, file.name);
        if (shared.ok) deps.show(shared.value);
        else problems.push(`${file.name}: ${shared.error.message}`);
      }
      shareError.value = problems.length > 0 ? problems.join('\n') : null;
    },
    seen(event, manifest) {
      if (events.has(event.id)) return;
      events.set(event.id, { event, manifest });
      if (deps.swarm.state(event.id)) return;
      const smallPicture = inlinePictureType(manifest.type) !== null && manifest.size <= autoFetchBytes;
      if (smallPicture) fetch(event.id);
      else void deps.begun(event.id).then((begun) => begun && fetch(event.id));
    },
    fetch,
    cancel(fileId) {
      const index = waiting.indexOf(fileId);
      if (index < 0) return deps.swarm.cancel(fileId);
      waiting.splice(index, 1);
      const state = stateOf(fileId);
      if (state.value) state.value = { ...state.value, phase: 'cancelled' };
    },
    plaintext: deps.plaintext,
    dispose: off,
  };
}

/** `names` less one occurrence of `name` (two files may share a name). */
function withoutFirst(names: readonly string[], name: string): readonly string[] {
  const index = names.indexOf(name);
  return index < 0 ? names : [...names.slice(0, index), ...names.slice(index + 1)];
}

/** A browser File read in slices: the swarm hashes and stores it without holding it whole. */
export function browserFileSource(file: File): FileSource {
  return {
    name: file.name,
    size: file.size,
    type: file.type,
    read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
}
