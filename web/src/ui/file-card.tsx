import { useEffect, useState } from 'preact/hooks';
import type { FileContent, TransferState } from '@shoal/shared';
import { safeFileName } from '../state/file-name';
import type { FileTransfers } from '../state/file-transfers';
import { AUTO_FETCH_PICTURE_BYTES, MAGIC_BYTES, type InlinePictureType, inlinePictureType, matchesMagic } from '../state/picture-type';
import { formatBytes, formatSpeed } from './format';
import { saveBlob } from './save-blob';

/** What a file row needs of the room's files. */
export type FileActions = Pick<FileTransfers, 'transfer' | 'fetch' | 'cancel' | 'plaintext'>;

/** Longest media type shown; the manifest allows 255 characters of anything. */
const MAX_TYPE_CHARS = 60;

/**
 * A file in the log: its name (sanitised: it is the download's name too), size and type; Download, and
 * while bytes arrive a progress bar with the speed, Cancel and, after a failure, Retry. PNG, JPEG, GIF and
 * WebP whose first bytes match their type show inline; everything else (SVG and HTML included) is only
 * ever saved, never rendered.
 */
export function FileCard({ fileId, manifest, files }: { fileId: string; manifest: FileContent; files: FileActions }) {
  const name = safeFileName(manifest.name);
  const transfer = files.transfer(fileId).value;
  const complete = transfer?.phase === 'complete';
  const running = transfer?.phase === 'queued' || transfer?.phase === 'downloading';
  const stopped = transfer?.phase === 'failed' || transfer?.phase === 'cancelled';
  const picture = inlinePictureType(manifest.type);
  const [saveWhenComplete, setSaveWhenComplete] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  const save = async () => {
    const bytes = await files.plaintext(fileId);
    if (bytes.ok) saveBlob(bytes.value, name);
    setSaveError(bytes.ok ? null : bytes.error.message);
  };
  useEffect(() => {
    if (!complete || !saveWhenComplete) return;
    setSaveWhenComplete(false);
    void save();
  }, [complete, saveWhenComplete]);

  const download = () => {
    if (complete) return void save();
    setSaveWhenComplete(true);
    if (!running) files.fetch(fileId);
  };
  const type = manifest.type === '' ? 'unknown type' : manifest.type.slice(0, MAX_TYPE_CHARS);
  return (
    <div class="file-card" role="group" aria-label={`File ${name}`}>
      {picture && <InlinePicture fileId={fileId} name={name} type={picture} size={manifest.size} complete={complete} running={running} files={files} />}
      <p class="file-info">
        <bdi class="file-name">{name}</bdi>
        <span class="file-meta">
          {formatBytes(manifest.size)} · <bdi>{type}</bdi>
        </span>
      </p>
      {transfer && running && <TransferProgress name={name} transfer={transfer} />}
      {transfer?.phase === 'cancelled' && <p class="file-status">Cancelled.</p>}
      {transfer?.phase === 'failed' && (
        <p class="file-status error" role="alert">
          Not fetched: {transfer.error?.message ?? 'the transfer failed'}
        </p>
      )}
      {saveError && (
        <p class="file-status error" role="alert">
          Not saved: {saveError}
        </p>
      )}
      <div class="file-actions">
        <button type="button" aria-label={`Download ${name}`} onClick={download}>
          Download
        </button>
        {running && (
          <button type="button" class="ghost" aria-label={`Cancel ${name}`} onClick={() => files.cancel(fileId)}>
            Cancel
          </button>
        )}
        {stopped && (
          <button type="button" class="ghost" aria-label={`Retry ${name}`} onClick={() => files.fetch(fileId)}>
            Retry
          </button>
        )}
      </div>
    </div>
  );
}

function TransferProgress({ name, transfer }: { name: string; transfer: TransferState }) {
  const percent = transfer.totalBytes === 0 ? 0 : Math.min(100, Math.floor((transfer.receivedBytes / transfer.totalBytes) * 100));
  const sources = transfer.sources === 1 ? '1 peer' : `${transfer.sources} peers`;
  return (
    <div class="file-progress">
      <div
        class="progress"
        role="progressbar"
        aria-label={`Fetching ${name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%, ${formatSpeed(transfer.bytesPerSecond)}`}
      >
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span class="file-speed">
        {percent}% · {formatBytes(transfer.receivedBytes)} of {formatBytes(transfer.totalBytes)} · {formatSpeed(transfer.bytesPerSecond)} ·{' '}
        {transfer.phase === 'queued' ? 'waiting for a peer' : `from ${sources}`}
      </span>
    </div>
  );
}

/**
 * The picture itself once its bytes are here and their signature matches the declared type; a button for
 * pictures above the auto-fetch size. The object URL lives as long as the row.
 */
function InlinePicture(props: { fileId: string; name: string; type: InlinePictureType; size: number; complete: boolean; running: boolean; files: FileActions }) {
  const { fileId, name, type, complete, files } = props;
  const [url, setUrl] = useState<string | null>(null);
  const [mismatch, setMismatch] = useState(false);
  useEffect(() => {
    if (!complete) return;
    let live = true;
    let created: string | null = null;
    void (async () => {
      const bytes = await files.plaintext(fileId);
      if (!bytes.ok || !live) return;
      const head = new Uint8Array(await bytes.value.slice(0, MAGIC_BYTES).arrayBuffer());
      if (!live) return;
      if (!matchesMagic(type, head)) return setMismatch(true);
      created = URL.createObjectURL(bytes.value);
      setUrl(created);
    })();
    return () => {
      live = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [complete, fileId]);
  if (mismatch) return <p class="file-status">Not shown: the bytes are not a {type.slice('image/'.length).toUpperCase()} picture.</p>;
  if (url) return <img class="file-picture" src={url} alt={name} />;
  if (!complete && !props.running && props.size > AUTO_FETCH_PICTURE_BYTES) {
    return (
      <button type="button" class="ghost" aria-label={`Show picture ${name}`} onClick={() => files.fetch(fileId)}>
        Show picture ({formatBytes(props.size)})
      </button>
    );
  }
  return null;
}
