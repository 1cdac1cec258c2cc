import { describe, expect, it } from 'vitest';
import { MAX_BLANK_LINES, MAX_COLLAPSED_CHARS, MAX_COLLAPSED_LINES, bodyForDisplay } from '../src/ui/body-for-display';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');

describe('bodyForDisplay', () => {
  it('shows a short message whole, with nothing to expand', () => {
    expect(bodyForDisplay('hello\nworld')).toEqual({ full: 'hello\nworld', preview: 'hello\nworld', truncated: false });
  });

  it(`collapses to ${MAX_COLLAPSED_LINES} lines: N lines show whole, N + 1 are truncated`, () => {
    expect(bodyForDisplay(lines(MAX_COLLAPSED_LINES)).truncated).toBe(false);
    const long = bodyForDisplay(lines(MAX_COLLAPSED_LINES + 1));
    expect(long.truncated).toBe(true);
    expect(long.preview).toBe(lines(MAX_COLLAPSED_LINES));
    expect(long.full).toBe(lines(MAX_COLLAPSED_LINES + 1));
  });

  it(`collapses one long unbroken line to ${MAX_COLLAPSED_CHARS} characters`, () => {
    expect(bodyForDisplay('x'.repeat(MAX_COLLAPSED_CHARS)).truncated).toBe(false);
    const long = bodyForDisplay('x'.repeat(MAX_COLLAPSED_CHARS + 1));
    expect(long.truncated).toBe(true);
    expect(long.preview).toHaveLength(MAX_COLLAPSED_CHARS);
  });

  it('squeezes 3,000 newlines to a few empty lines', () => {
    const shown = bodyForDisplay(`top${'\n'.repeat(3000)}bottom`);
    expect(shown.full).toBe(`top${'\n'.repeat(MAX_BLANK_LINES + 1)}bottom`);
    expect(shown.truncated).toBe(false);
  });

  it('keeps short runs of empty lines and drops trailing ones', () => {
    expect(bodyForDisplay('a\n\nb\n\n\n\n').full).toBe('a\n\nb');
  });

  it('caps combining-mark towers to four marks per character', () => {
    const tower = `Z${'\u0336\u0301'.repeat(200)}`;
    expect(bodyForDisplay(tower).full).toBe(`Z${'\u0336\u0301'.repeat(2)}`);
  });

  it('never cuts an emoji in half', () => {
    const text = `${'x'.repeat(MAX_COLLAPSED_CHARS - 1)}😀tail`;
    const { preview } = bodyForDisplay(text);
    expect(preview).toBe('x'.repeat(MAX_COLLAPSED_CHARS - 1));
  });
});
