import { normalizeDisplayName } from '@shoal/shared';
import { useEffect, useState } from 'preact/hooks';
import type { TopologySummary } from '../state/topology-rows';

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
  /** The whole mesh as this tab knows it (gossiped neighbour lists). */
  topology(): TopologySummary;
  /** Refresh period while open, ms. Default 1000. */
  refreshMs?: number;
}

/** "badSignatureDropped" -> "Bad signature dropped": every counter the mesh has, without a label table to drift. */
function label(key: string): string {
  const words = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** This tab's links and counters behind a toggle; polled only while shown. */
export function StatsPanel({ counters, links, topology, refreshMs = 1000 }: StatsPanelProps) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<{ counters: Readonly<Record<string, number>>; links: LinkInfo[]; topology: TopologySummary } | null>(null);
  useEffect(() => {
    if (!open) return;
    const read = () => setValues({ counters: counters(), links: links(), topology: topology() });
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
                    <td>
                      <bdi>{normalizeDisplayName(link.name) || link.peerId.slice(0, 8)}</bdi>
                    </td>
                    <td>{link.route}</td>
                    <td>{link.rttMs === null ? '–' : `${Math.round(link.rttMs)} ms`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <MeshTable topology={values.topology} />
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

/** Who is linked to whom, one row per room member this tab has heard from. */
function MeshTable({ topology }: { topology: TopologySummary }) {
  const { rows, links, oneSided } = topology;
  return (
    <>
      <h3 id="mesh-heading">Whole mesh</h3>
      <p class="hint">
        {rows.length} {rows.length === 1 ? 'peer' : 'peers'} · {links} {links === 1 ? 'link' : 'links'}
        {oneSided > 0 && ` · ${oneSided} reported by one end only`}
      </p>
      <table class="links mesh" aria-labelledby="mesh-heading">
        <thead>
          <tr>
            <th scope="col">Peer</th>
            <th scope="col">Linked to</th>
            <th scope="col">Heard</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.peerId} title={row.peerId}>
              <th scope="row">{row.self ? `${row.label} (you)` : row.label}</th>
              <td>
                {row.neighbours.length === 0
                  ? '–'
                  : row.neighbours.map((n) => (n.oneSided ? `${n.label} (one end only)` : n.label)).join(', ')}
              </td>
              <td>{row.self ? 'now' : `${row.ageS} s ago`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
