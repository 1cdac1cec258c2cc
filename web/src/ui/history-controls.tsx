import { useState } from 'preact/hooks';
import { saveBlob } from './save-blob';

/** What the room offers for its stored history (see RoomSession.historyTools). */
export interface HistoryTools {
  /** Events of this room this browser keeps (the retention limit). */
  keep: number;
  setKeep(limit: number): void;
  /** The room's history as a file (JSON Lines of signed events). */
  exportFile(): Promise<Blob>;
  /** Imports an export; resolves with a sentence saying what happened. */
  importFile(file: File): Promise<string>;
  /** How much of the room's files this browser stores, and the largest file it shares or fetches. */
  fileLimits: FileLimits;
  setFileLimits(limits: FileLimits): void;
}

export interface FileLimits {
  quotaBytes: number;
  maxFileBytes: number;
}

/** Smallest and largest retention a person can choose here. */
const MIN_KEEP = 100;
const MAX_KEEP = 1_000_000;
const MIB = 1024 * 1024;
/** File limits are set in MiB, from 1 MiB to 1 TiB. */
const MIN_FILE_MIB = 1;
const MAX_FILE_MIB = 1024 * 1024;

/**
 * The room's stored history: how much this browser keeps, and export/import of it as a file. Behind a
 * toggle like the stats, so the side panel stays short.
 */
export function HistoryControls({ tools, fileName }: { tools: HistoryTools; fileName: string }) {
  const [open, setOpen] = useState(false);
  const [keep, setKeep] = useState(tools.keep);
  const [fileLimits, setFileLimits] = useState(tools.fileLimits);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setStatus(await work());
    } catch (error) {
      setStatus(error instanceof Error ? error.message : 'that did not work');
    } finally {
      setBusy(false);
    }
  };
  const changeFileLimits = (change: Partial<FileLimits>) => {
    const next = { ...fileLimits, ...change };
    setFileLimits(next);
    tools.setFileLimits(next);
  };
  const download = () =>
    run(async () => {
      saveBlob(await tools.exportFile(), fileName);
      return 'History exported.';
    });
  return (
    <section class="history-tools" aria-label="History">
      <button type="button" class="ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
        History
      </button>
      {open && (
        <div class="history-body">
          <NumberSetting label="Messages kept in this browser" min={MIN_KEEP} max={MAX_KEEP} step={100} value={keep} set={(limit) => {
            setKeep(limit);
            tools.setKeep(limit);
          }} />
          <NumberSetting label="Files stored for this room (MiB)" min={MIN_FILE_MIB} max={MAX_FILE_MIB} step={64} value={Math.round(fileLimits.quotaBytes / MIB)} set={(mib) => changeFileLimits({ quotaBytes: mib * MIB })} />
          <NumberSetting label="Largest file shared or fetched (MiB)" min={MIN_FILE_MIB} max={MAX_FILE_MIB} step={64} value={Math.round(fileLimits.maxFileBytes / MIB)} set={(mib) => changeFileLimits({ maxFileBytes: mib * MIB })} />
          <p class="hint">File limits apply from the next time this room is opened.</p>
          <button type="button" disabled={busy} onClick={() => void download()}>
            Export history
          </button>
          <label class="file-button">
            Import history
            <input
              type="file"
              accept=".jsonl,application/x-ndjson,application/json,text/plain"
              disabled={busy}
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                event.currentTarget.value = '';
                if (file) void run(() => tools.importFile(file));
              }}
            />
          </label>
          <p role="status" class="history-status">
            {status}
          </p>
        </div>
      )}
    </section>
  );
}

/** A whole-number setting; what is typed is rounded and clamped to [min, max] before it is applied. */
function NumberSetting(props: { label: string; min: number; max: number; step: number; value: number; set(value: number): void }) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={(event) => {
          const value = Math.round(Number(event.currentTarget.value));
          if (!Number.isFinite(value)) return;
          props.set(Math.min(props.max, Math.max(props.min, value)));
        }}
      />
    </label>
  );
}
