import { describe, expect, it } from 'vitest';
import { FALLBACK_FILE_NAME, MAX_SAFE_NAME_CHARS, safeFileName } from '../src/state/file-name';

describe('safeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeFileName('Holiday photo (2).jpeg')).toBe('Holiday photo (2).jpeg');
  });
  it('replaces path separators so no directory can be named', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('C:\\Windows\\win.ini')).toBe('C__Windows_win.ini');
  });
  it('drops control characters', () => {
    expect(safeFileName('a\u0000b\u001bc\u007f\u0085.txt')).toBe('abc.txt');
  });
  it('drops bidi overrides and isolates that would disguise the extension', () => {
    expect(safeFileName('invoice\u202egpj.exe')).toBe('invoicegpj.exe');
    expect(safeFileName('\u2066a\u2067b\u2068c\u2069\u200f.txt')).toBe('abc.txt');
  });
  it('drops leading dots and spaces (no hidden files) and trailing ones', () => {
    expect(safeFileName('.bashrc')).toBe('bashrc');
    expect(safeFileName(' ..  notes.txt. ')).toBe('notes.txt');
  });
  it('prefixes Windows device names', () => {
    expect(safeFileName('CON.txt')).toBe('_CON.txt');
    expect(safeFileName('console.txt')).toBe('console.txt');
  });
  it('falls back to a plain name when nothing survives', () => {
    expect(safeFileName('..')).toBe(FALLBACK_FILE_NAME);
    expect(safeFileName('\u202e\u0000')).toBe(FALLBACK_FILE_NAME);
  });
  it(`keeps a name of ${MAX_SAFE_NAME_CHARS} characters and shortens one more, keeping the extension`, () => {
    const exact = `${'a'.repeat(MAX_SAFE_NAME_CHARS - 4)}.pdf`;
    expect(safeFileName(exact)).toBe(exact);
    const longer = `${'a'.repeat(MAX_SAFE_NAME_CHARS - 3)}.pdf`;
    const short = safeFileName(longer);
    expect(short).toHaveLength(MAX_SAFE_NAME_CHARS);
    expect(short.endsWith('.pdf')).toBe(true);
  });
  it('never splits a surrogate pair when shortening', () => {
    const name = safeFileName(`${'😀'.repeat(100)}.png`);
    expect(name.length).toBeLessThanOrEqual(MAX_SAFE_NAME_CHARS);
    expect(name).toMatch(/^(😀)+\.png$/u);
  });
});
