import { type TopologyEntry, normalizeDisplayName } from '@shoal/shared';

/** One room member in the debug view of the mesh. */
export interface TopologyRow {
  peerId: string;
  /** Its name, or the start of its id when it has none. */
  label: string;
  self: boolean;
  /** Its neighbours' labels, sorted; a neighbour whose own list does not name it back is marked. */
  neighbours: Array<{ peerId: string; label: string; oneSided: boolean }>;
  /** Seconds since its list arrived here; 0 for this tab. */
  ageS: number;
}

export interface TopologySummary {
  rows: TopologyRow[];
  /** Links both ends report. */
  links: number;
  /** Links only one end reports (a list in flight, or a link that just closed). */
  oneSided: number;
}

const shortId = (peerId: string) => peerId.slice(0, 8);

/**
 * Who is linked to whom, from the mesh's gossiped neighbour lists (own entry first), with names
 * resolved and every link checked against the other end's list: a claim only one side makes is
 * marked, not hidden, since it is exactly what a debugging reader looks for.
 */
export function topologyRows(entries: readonly TopologyEntry[], nowMs: number): TopologySummary {
  const [own] = entries;
  const names = new Map(entries.map((entry) => [entry.peerId as string, normalizeDisplayName(entry.name) || shortId(entry.peerId)]));
  const lists = new Map(entries.map((entry) => [entry.peerId as string, new Set<string>(entry.neighbours)]));
  const label = (peerId: string) => names.get(peerId) ?? shortId(peerId);
  let both = 0;
  let oneSided = 0;
  const rows = entries.map((entry): TopologyRow => {
    const neighbours = entry.neighbours
      .map((peerId) => {
        const back = lists.get(peerId);
        // A neighbour whose list has not arrived yet cannot contradict the claim.
        const confirmed = back === undefined || back.has(entry.peerId);
        if (back !== undefined) {
          if (!confirmed) oneSided += 1;
          else if (entry.peerId < peerId) both += 1;
        }
        return { peerId, label: label(peerId), oneSided: !confirmed };
      })
      .sort((a, b) => a.label.localeCompare(b.label));
    return {
      peerId: entry.peerId,
      label: label(entry.peerId),
      self: entry === own,
      neighbours,
      ageS: Math.max(0, Math.round((nowMs - entry.updatedAt) / 1000)),
    };
  });
  return { rows, links: both, oneSided };
}
