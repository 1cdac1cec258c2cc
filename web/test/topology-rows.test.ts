import type { PeerId, TopologyEntry } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { topologyRows } from '../src/state/topology-rows';
import { peerId } from './ids';

const entry = (id: PeerId, name: string, neighbours: PeerId[], updatedAt: number): TopologyEntry => ({ peerId: id, name, neighbours, updatedAt });
const [a, b, c, d] = [peerId(1), peerId(2), peerId(3), peerId(4)];

describe('topology rows', () => {
  it('names each member and its neighbours, own entry first, with the age of each list', () => {
    const { rows, links, oneSided } = topologyRows(
      [entry(a, 'Ada', [c, b], 10_000), entry(b, 'Bob', [a, c], 7_600), entry(c, '', [a, b], 4_000)],
      10_000,
    );
    const unnamed = c.slice(0, 8);
    expect(unnamed).toBe('00000000'); // sorts before letters
    expect(rows.map((r) => [r.label, r.self, r.neighbours.map((n) => n.label), r.ageS])).toEqual([
      ['Ada', true, [unnamed, 'Bob'], 0],
      ['Bob', false, [unnamed, 'Ada'], 2],
      [unnamed, false, ['Ada', 'Bob'], 6],
    ]);
    expect([links, oneSided]).toEqual([3, 0]);
  });

  it('marks a link only one end reports, and trusts claims about peers it has no list from', () => {
    const { rows, links, oneSided } = topologyRows([entry(a, 'Ada', [b, d], 0), entry(b, 'Bob', [], 0)], 0);
    expect(rows[0]?.neighbours).toEqual([
      { peerId: d, label: d.slice(0, 8), oneSided: false },
      { peerId: b, label: 'Bob', oneSided: true },
    ]);
    expect([links, oneSided]).toEqual([0, 1]);
  });

  it('labels members by their normalized names, falling back to the id when nothing visible is left', () => {
    const { rows } = topologyRows([entry(a, '\u202EAl\u200Bice', [b], 0), entry(b, '\u200B\u2066', [a], 0)], 0);
    expect(rows.map((r) => r.label)).toEqual(['Alice', b.slice(0, 8)]);
  });
});
