import { describe, expect, it } from 'vitest';
import { isBigRoom } from '../src/mesh/room-size';

describe('the big-room rule', () => {
  it('keeps a room of fullMeshUpTo members a full mesh and takes one more as big', () => {
    expect(isBigRoom([32], 32)).toBe(false);
    expect(isBigRoom([33], 32)).toBe(true);
  });

  it('goes by the largest estimate: each source can only undercount', () => {
    expect(isBigRoom([3, 40, 0], 32)).toBe(true);
    expect(isBigRoom([], 32)).toBe(false);
  });
});
