import { describe, expect, it } from 'vitest';
import { MAX_COMBINING_MARKS, capCombiningMarks } from '../src/protocol/combining-marks';
import { nameSkeleton, normalizeDisplayName } from '../src/protocol/display-name';
import { MAX_NAME_CHARS } from '../src/protocol/limits';

describe('normalizeDisplayName', () => {
  it('removes bidi overrides, embeddings, isolates and direction marks', () => {
    // "Alice" written backwards under a right-to-left override reads "Alice" on screen.
    expect(normalizeDisplayName('\u202Eecila')).toBe('ecila');
    expect(normalizeDisplayName('\u202AAl\u202Bice\u202C\u202D')).toBe('Alice');
    expect(normalizeDisplayName('\u2066Al\u2067i\u2068ce\u2069\u200E\u200F')).toBe('Alice');
  });

  it('removes zero-width characters, the word joiner and the byte-order mark', () => {
    expect(normalizeDisplayName('A\u200Bl\u200Ci\u200Dc\u2060e\uFEFF')).toBe('Alice');
  });

  it('removes other format and control characters and blank letters', () => {
    expect(normalizeDisplayName('Al\u00ADi\u0007ce\u{E0041}\u3164')).toBe('Alice');
  });

  it('applies NFKC, so full-width and mathematical letters become plain ones', () => {
    expect(normalizeDisplayName('Ａｌｉｃｅ')).toBe('Alice');
    expect(normalizeDisplayName('𝐀𝐥𝐢𝐜𝐞')).toBe('Alice');
    // Decomposed and composed accents give one string.
    expect(normalizeDisplayName('Rene\u0301')).toBe(normalizeDisplayName('Ren\u00E9'));
  });

  it('collapses whitespace of every kind and trims', () => {
    expect(normalizeDisplayName('  Alice \t\n\u2028\u3000 Smith  ')).toBe('Alice Smith');
    // A line break is a space, not nothing: "Al\nice" is not "Alice".
    expect(normalizeDisplayName('Al\nice')).toBe('Al ice');
  });

  it('returns an empty name when nothing visible is left', () => {
    expect(normalizeDisplayName('\u200B\u202E \u2066')).toBe('');
  });

  it('caps the name at MAX_NAME_CHARS code points without splitting a surrogate pair', () => {
    const long = '😀'.repeat(MAX_NAME_CHARS + 5);
    expect(Array.from(normalizeDisplayName(long))).toHaveLength(MAX_NAME_CHARS);
    expect(normalizeDisplayName(long)).toBe('😀'.repeat(MAX_NAME_CHARS));
  });

  it('is idempotent', () => {
    for (const raw of ['\u202Eecila', 'e\u200B\u0301x', 'Ａ b\u0301\u0301\u0301\u0301\u0301\u0301', ' a\n b ']) {
      const once = normalizeDisplayName(raw);
      expect(normalizeDisplayName(once)).toBe(once);
    }
  });
});

describe('nameSkeleton', () => {
  it('gives a Cyrillic "а" and a Latin "a" one skeleton', () => {
    expect(nameSkeleton('\u0410lice')).toBe(nameSkeleton('Alice'));
    expect(nameSkeleton('\u0430lice')).toBe(nameSkeleton('alice'));
  });

  it('matches whole names spelt in Cyrillic and Greek look-alikes', () => {
    // "Вов" in Cyrillic: В, о and в are drawn like B, o and b.
    expect(nameSkeleton('\u0412\u043E\u0432')).toBe(nameSkeleton('Bob'));
    expect(nameSkeleton('\u0391\u039D\u039D\u0391')).toBe(nameSkeleton('ANNA'));
  });

  it('matches names that differ only in case, accents, invisible characters or bidi controls', () => {
    const alice = nameSkeleton('Alice');
    for (const lookalike of ['ALICE', 'Alicé', 'A\u200Blice', '\u2066Alice\u2069', 'Ａｌｉｃｅ']) {
      expect(nameSkeleton(lookalike), lookalike).toBe(alice);
    }
  });

  it('maps 0 to O, 1 and capital I to l, and rn to m', () => {
    expect(nameSkeleton('B0B')).toBe(nameSkeleton('bob'));
    expect(nameSkeleton('A1ice')).toBe(nameSkeleton('Alice'));
    expect(nameSkeleton('AIice')).toBe(nameSkeleton('Alice'));
    expect(nameSkeleton('rnallory')).toBe(nameSkeleton('mallory'));
  });

  it('keeps names that look different apart', () => {
    expect(nameSkeleton('Alice')).not.toBe(nameSkeleton('Alina'));
    expect(nameSkeleton('Bob')).not.toBe(nameSkeleton('Rob'));
    expect(nameSkeleton('Al ice')).not.toBe(nameSkeleton('Alice'));
  });
});

describe('capCombiningMarks', () => {
  it(`keeps up to ${MAX_COMBINING_MARKS} marks on a base character and drops the rest`, () => {
    const marks = (n: number) => '\u0301'.repeat(n);
    expect(capCombiningMarks(`a${marks(MAX_COMBINING_MARKS)}`)).toBe(`a${marks(MAX_COMBINING_MARKS)}`);
    expect(capCombiningMarks(`a${marks(MAX_COMBINING_MARKS + 1)}b${marks(500)}`)).toBe(`a${marks(MAX_COMBINING_MARKS)}b${marks(MAX_COMBINING_MARKS)}`);
  });

  it('leaves text without long mark runs unchanged', () => {
    const vietnamese = 'Nguy\u00EA\u0303n Vi\u1EC7t';
    expect(capCombiningMarks(vietnamese)).toBe(vietnamese);
  });

  it('takes another limit, zero removing every mark', () => {
    expect(capCombiningMarks('e\u0301\u0302\u0303', 1)).toBe('e\u0301');
    expect(capCombiningMarks('e\u0301\u0302', 0)).toBe('e');
  });
});
