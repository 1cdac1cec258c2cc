import { capCombiningMarks } from './combining-marks';
import { MAX_NAME_CHARS } from './limits';

/**
 * Characters that draw nothing yet make two names differ: control (Cc) and format (Cf) characters —
 * bidi embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069, marks U+200E/U+200F,
 * zero-width U+200B–U+200D, U+2060, U+FEFF, the soft hyphen, tag characters — plus the blank letters
 * (Hangul fillers, the Braille blank, U+034F) that Unicode files as letters or marks though they draw
 * nothing. ZWJ goes too, so an emoji family shows as its members: a small price for names that
 * cannot hide a difference.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u034f\u115f\u1160\u2800\u3164\uffa0]/gu;
/** Whitespace of any kind (tabs, newlines, line and paragraph separators, wide spaces). */
const SPACES = /[\s\p{Z}]+/gu;

/**
 * A peer-chosen name as it may be shown: NFKC (full-width and mathematical letters become plain ones),
 * invisible characters removed, whitespace collapsed to single spaces and trimmed, combining-mark runs
 * capped, at most MAX_NAME_CHARS code points. '' when nothing visible is left. Pure and idempotent.
 */
export function normalizeDisplayName(raw: string): string {
  // Line breaks become spaces before invisible characters go, so "Al\nice" does not become "Alice";
  // NFKC runs after the removal, since a removed character may have kept two others from composing.
  const visible = raw.replace(SPACES, ' ').replace(INVISIBLE, '').normalize('NFKC').replace(SPACES, ' ');
  const capped = capCombiningMarks(visible).trim();
  const points = Array.from(capped);
  return points.length > MAX_NAME_CHARS ? points.slice(0, MAX_NAME_CHARS).join('').trimEnd() : capped;
}

/**
 * Letters of other scripts drawn like Latin ones (the commonest Cyrillic and Greek look-alikes from
 * Unicode's confusables.txt), mapped before lower-casing because case changes the look: Greek 'Η'
 * reads as Latin 'H' but its lower case 'η' as 'n'. Scope: a deliberately small table that covers
 * impostors typing Latin names with a Cyrillic or Greek keyboard; it is not the full UTS #39 skeleton.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  А: 'A', В: 'B', Е: 'E', Ё: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X',
  Ѕ: 'S', І: 'I', Ј: 'J', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Һ: 'H', Ӏ: 'I',
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', һ: 'h', ӏ: 'l', ь: 'b', г: 'r', п: 'n',
  // Greek
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c',
};
/**
 * After lower-casing: glyphs that many fonts draw alike. Upper-case 'I' has become 'i' by now, so 'i',
 * 'l', '1' and '|' share one form, and '0' reads as 'o'.
 */
const LOWER_LOOKALIKES: Readonly<Record<string, string>> = { '0': 'o', '1': 'l', i: 'l', '|': 'l', ı: 'l' };
/** Letter pairs that read as one letter at chat sizes. */
const PAIRS: ReadonlyArray<readonly [RegExp, string]> = [[/rn/g, 'm'], [/vv/g, 'w']];

/**
 * A comparison key for names that look alike: normalized, accents and other combining marks dropped,
 * look-alike letters mapped, lower-cased. Two names with one skeleton may be read as one name, so the
 * UI flags both. Only ever compared, never shown. Over-matching ("Ian" and "lan") costs a warning on
 * two honest names; under-matching lets an impostor pass, so the table errs towards matching.
 */
export function nameSkeleton(name: string): string {
  const bare = normalizeDisplayName(name).normalize('NFD').replace(/\p{M}+/gu, '');
  const latin = Array.from(bare, (char) => LOOKALIKES[char] ?? char).join('').toLowerCase();
  let skeleton = Array.from(latin, (char) => LOWER_LOOKALIKES[char] ?? char).join('');
  for (const [pair, letter] of PAIRS) skeleton = skeleton.replace(pair, letter);
  return skeleton;
}
