import { describe, expect, it } from 'vitest';
import { meshSize } from '../src/room/mesh-size';

describe('meshSize', () => {
  it('is empty when neither the page nor the URL says anything: the mesh defaults apply', () => {
    expect(meshSize('', null)).toEqual({});
    expect(meshSize('?testHooks=1', '')).toEqual({});
  });

  it('reads the page config, and the URL overrides it key by key', () => {
    const page = 'fullMeshUpTo=12, targetDegree=4,maxDegree=9';
    expect(meshSize('', page)).toEqual({ fullMeshUpTo: 12, targetDegree: 4, maxDegree: 9 });
    expect(meshSize('?fullMeshUpTo=4&signal=ws://x/', page)).toEqual({ fullMeshUpTo: 4, targetDegree: 4, maxDegree: 9 });
  });

  it('ignores values that are not whole numbers from 1 to 256, and a maxDegree below targetDegree', () => {
    expect(meshSize('?fullMeshUpTo=0&targetDegree=-2&maxDegree=1e3', null)).toEqual({});
    expect(meshSize('?fullMeshUpTo=257&targetDegree=2.5', null)).toEqual({});
    expect(meshSize('?targetDegree=6&maxDegree=3', null)).toEqual({ targetDegree: 6 });
    expect(meshSize('?fullMeshUpTo=256', 'targetDegree=abc')).toEqual({ fullMeshUpTo: 256 });
  });
});
