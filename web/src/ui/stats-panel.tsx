import { useEffect, useState } from 'preact/hooks';

/** One data channel of this tab, for the debug view. */
export interface LinkInfo {
  peerId: string;
  name: string;
  /** How the link's handshake travelled: signal server, relayed by peers, or pasted by hand. */
  route: 'server' | 'mesh' | 'manual';
  rttMs: number | null;
}

export interface StatsPanelProps {
  /** Named counts (the mesh's and the store's), shown in the order given. */
  counters(): Readonly<Record<string, number>>;
  links(): LinkInfo[];
  /** Refresh period while open, ms. Default 1000. */
  refreshMs?: number;
}

/** "badSignatureDropped" -> "Bad signature dropped": every counter the mesh has, without a label table to drift. */
function label(key: string): string {
  const words = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** This tab's links and counters behind a toggle; polled only while shown. */
export function StatsPanel({ counters, links, refreshMs = 1000 }: StatsPanelProps) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<{ counters: Readonly<Record<string, number>>; links: LinkInfo[] } | null>(null);
  useEffect(() => {
    if (!open) return;
    const read = () => setValues({ counters: counters(), links: links() });
    read();
    const timer = setInterval(read, refreshMs);
    return () => clearInterval(timer);
  }, [open]);
  return (
    <section class="stats">
      <button type="button" class="ghost" aria-expanded={open} aria-controls="stats-table" onClick={() => setOpen(!open)}>
        {open ? 'Hide stats' : 'Show stats'}
      </button>
      {open && values && (
        <div id="stats-table" class="stats-body">
          <h3>Links of this tab</h3>
          {values.links.length === 0 ? (
            <p class="hint">No data channels open.</p>
          ) : (
            <table class="links">
              <thead>
                <tr>
                  <th scope="col">Peer</th>
                  <th scope="col">Found via</th>
                  <th scope="col">RTT</th>
                </tr>
              </thead>
              <tbody>
                {values.links.map((link) => (
                  <tr key={link.peerId} title={link.peerId}>
                    <td>{link.name || link.peerId.slice(0, 8)}</td>
                    <td>{link.route}</td>
                    <td>{link.rttMs === null ? '–' : `${Math.round(link.rttMs)} ms`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Counters</h3>
          <dl>
          {Object.entries(values.counters).map(([key, value]) => (
            <div key={key}>
              <dt>{label(key)}</dt>
              <dd>{value.toLocaleString()}</dd>
            </div>
          ))}
          </dl>
        </div>
      )}
    </section>
  );
}
