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
}

/** Smallest and largest retention a person can choose here. */
const MIN_KEEP = 100;
const MAX_KEEP = 1_000_000;

/**
 * The room's stored history: how much this browser keeps, and export/import of it as a file. Behind a
 * toggle like the stats, so the side panel stays short.
 */
export function HistoryControls({ tools, fileName }: { tools: HistoryTools; fileName: string }) {
  const [open, setOpen] = useState(false);
  const [keep, setKeep] = useState(tools.keep);
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
          <label>
            Messages kept in this browser
            <input
              type="number"
              min={MIN_KEEP}
              max={MAX_KEEP}
              step={100}
              value={keep}
              onChange={(event) => {
                const value = Math.round(Number(event.currentTarget.value));
                if (!Number.isFinite(value)) return;
                const clamped = Math.min(MAX_KEEP, Math.max(MIN_KEEP, value));
                setKeep(clamped);
                tools.setKeep(clamped);
              }}
            />
          </label>
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
