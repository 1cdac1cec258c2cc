import { describe, expect, it } from 'vitest';
import { contestedSkeletons, isContestedName, messageNameClaims } from '../src/state/name-conflicts';

const claim = (name: string, identity: string) => ({ name, identity });

describe('name conflicts', () => {
  it('flags both the impostor and the real person, whichever appeared first', () => {
    for (const claims of [
      [claim('Alice', 'impostor'), claim('Alice', 'real')],
      [claim('Alice', 'real'), claim('Alice', 'impostor')],
    ]) {
      const contested = contestedSkeletons(claims);
      // One flag per name skeleton, so every identity using it shows the warning.
      expect(isContestedName(contested, 'Alice')).toBe(true);
    }
  });

  it('flags names that only look alike: Cyrillic letters, bidi controls, zero-width characters', () => {
    for (const lookalike of ['\u0410lice', '\u2066Alice\u2069', 'Al\u200Bice', 'ALICE', 'A1ice']) {
      const contested = contestedSkeletons([claim('Alice', 'real'), claim(lookalike, 'impostor')]);
      expect(isContestedName(contested, 'Alice'), lookalike).toBe(true);
      expect(isContestedName(contested, lookalike), lookalike).toBe(true);
    }
  });

  it('does not flag one identity that uses a name many times, or different names', () => {
    const contested = contestedSkeletons([claim('Alice', 'a'), claim('Alice', 'a'), claim('Bob', 'b'), claim('alice', 'a')]);
    expect(contested.size).toBe(0);
    expect(isContestedName(contested, 'Alice')).toBe(false);
  });

  it('does not flag people without a visible name', () => {
    const contested = contestedSkeletons([claim('', 'a'), claim('\u200B', 'b'), claim(' ', 'c')]);
    expect(contested.size).toBe(0);
    expect(isContestedName(contested, '')).toBe(false);
  });

  it('builds claims from messages by fingerprint, one per identity and name', () => {
    const messages = [
      { name: 'Alice', publicKey: 'K1', fingerprint: 'F1' },
      { name: 'Alice', publicKey: 'K1', fingerprint: 'F1' },
      { name: 'Alice', publicKey: 'K2', fingerprint: 'F2' },
      { name: 'Bob', publicKey: 'K3' },
    ];
    expect(messageNameClaims(messages)).toEqual([claim('Alice', 'F1'), claim('Alice', 'F2'), claim('Bob', 'key:K3')]);
    expect(isContestedName(contestedSkeletons(messageNameClaims(messages)), 'Alice')).toBe(true);
  });
});
