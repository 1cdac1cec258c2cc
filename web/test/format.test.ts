import { describe, expect, it } from 'vitest';
import { FUTURE_SKEW_MS, displayName, formatSentAt, lazyDateFormat, prepareDateFormats } from '../src/ui/format';

const NOW = new Date(2026, 11, 1, 14, 5).getTime();
/** Largest sentAt the schema admits (MAX_COUNTER ms): a day in year 10889. */
const YEAR_10889 = 2 ** 48;

describe('formatSentAt', () => {
  it('marks a send time in year 10889 as future and keeps the claimed date in the title', () => {
    const shown = formatSentAt(YEAR_10889, NOW);
    expect(shown.future).toBe(true);
    expect(shown.text).toBe('future');
    expect(shown.title).toContain('10889');
    // Not a valid HTML datetime (more than four year digits), so no dateTime attribute.
    expect(shown.dateTime).toBeNull();
  });

  it(`shows times up to ${FUTURE_SKEW_MS} ms ahead as is and marks the next millisecond as future`, () => {
    expect(formatSentAt(NOW + FUTURE_SKEW_MS, NOW).future).toBe(false);
    expect(formatSentAt(NOW + FUTURE_SKEW_MS + 1, NOW).future).toBe(true);
  });

  it('shows the year of a message from another year', () => {
    const shown = formatSentAt(new Date(2025, 7, 2, 9, 30).getTime(), NOW);
    expect(shown.text).toContain('2025');
    expect(shown.future).toBe(false);
    expect(shown.dateTime).toBe(new Date(2025, 7, 2, 9, 30).toISOString());
  });

  it('shows only the clock time today and the day without the year earlier this year', () => {
    expect(formatSentAt(NOW - 60_000, NOW).text).not.toMatch(/2026|Dec/);
    const august = formatSentAt(new Date(2026, 7, 2, 9, 30).getTime(), NOW).text;
    expect(august).not.toContain('2026');
    expect(august).toMatch(/2/);
  });

  it('does not throw for a time outside the Date range', () => {
    expect(formatSentAt(9e15, NOW)).toMatchObject({ text: 'unknown time', dateTime: null, future: false });
  });
});

describe('displayName', () => {
  it('shows a name without bidi overrides or zero-width characters', () => {
    expect(displayName('\u202EAl\u200Bice')).toBe('Alice');
  });

  it('shows a name with nothing visible left as Anonymous', () => {
    expect(displayName('\u200B \u2066')).toBe('Anonymous');
  });
});

describe('lazyDateFormat', () => {
  it('formats as Intl.DateTimeFormat does, whether prepared ahead or built on first use', () => {
    const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric' };
    const date = new Date(2026, 11, 1, 14, 5);
    const expected = new Intl.DateTimeFormat(undefined, options).format(date);
    expect(lazyDateFormat(options).format(date)).toBe(expected);
    const prepared = lazyDateFormat(options);
    prepareDateFormats();
    expect(prepared.format(date)).toBe(expected);
    prepareDateFormats();
    expect(prepared.format(date)).toBe(expected);
  });
});
