import type { MeshCounters } from '@shoal/shared';
import { useEffect, useState } from 'preact/hooks';

export interface StatsPanelProps {
  counters(): MeshCounters;
  /** Refresh period while open, ms. Default 1000. */
  refreshMs?: number;
}

/** "badSignatureDropped" -> "Bad signature dropped": every counter the mesh has, without a label table to drift. */
function label(key: string): string {
  const words = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Mesh counters behind a toggle; polled only while shown. */
export function StatsPanel({ counters, refreshMs = 1000 }: StatsPanelProps) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<MeshCounters | null>(null);
  useEffect(() => {
    if (!open) return;
    setValues(counters());
    const timer = setInterval(() => setValues(counters()), refreshMs);
    return () => clearInterval(timer);
  }, [open]);
  return (
    <section class="stats">
      <button type="button" class="ghost" aria-expanded={open} aria-controls="stats-table" onClick={() => setOpen(!open)}>
        {open ? 'Hide stats' : 'Show stats'}
      </button>
      {open && values && (
        <dl id="stats-table">
          {Object.entries(values).map(([key, value]) => (
            <div key={key}>
              <dt>{label(key)}</dt>
              <dd>{typeof value === 'number' ? value.toLocaleString() : String(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
