import { describe, expect, it } from 'vitest';
import { type Inline, MAX_EMPHASIS_DEPTH, parseInline, parseMarkdown, safeHref } from '../src/ui/markdown';

describe('markdown parser', () => {
  it('parses bold, italic, code and links inside one line', () => {
    expect(parseInline('a **b** *c* `d` https://e.example/f.')).toEqual([
      { t: 'text', text: 'a ' },
      { t: 'bold', children: [{ t: 'text', text: 'b' }] },
      { t: 'text', text: ' ' },
      { t: 'italic', children: [{ t: 'text', text: 'c' }] },
      { t: 'text', text: ' ' },
      { t: 'code', text: 'd' },
      { t: 'text', text: ' ' },
      { t: 'link', href: 'https://e.example/f', text: 'https://e.example/f' },
      { t: 'text', text: '.' },
    ]);
  });

  it('keeps markup inside code literal and leaves stray or unclosed markers as text', () => {
    expect(parseInline('`**not bold**`')).toEqual([{ t: 'code', text: '**not bold**' }]);
    expect(parseInline('2 * 3 * 4')).toEqual([{ t: 'text', text: '2 * 3 * 4' }]);
    expect(parseInline('**open *and `unclosed')).toEqual([{ t: 'text', text: '**open *and `unclosed' }]);
  });

  it('nests italic in bold and bold in italic', () => {
    const nested = parseInline('**a *b* c**');
    expect(nested).toEqual([{ t: 'bold', children: [{ t: 'text', text: 'a ' }, { t: 'italic', children: [{ t: 'text', text: 'b' }] }, { t: 'text', text: ' c' }] }]);
    expect(parseInline('*a **b** c*')).toEqual([{ t: 'italic', children: [{ t: 'text', text: 'a ' }, { t: 'bold', children: [{ t: 'text', text: 'b' }] }, { t: 'text', text: ' c' }] }]);
  });

  it('keeps every character of random marker soup and never nests past MAX_EMPHASIS_DEPTH', () => {
    // Closers match the nearest candidate, so real nesting stays shallow; the depth cap is a backstop.
    const depth = (nodes: readonly Inline[]): number => Math.max(0, ...nodes.map((n) => ('children' in n ? 1 + depth(n.children) : 0)));
    const flat = (nodes: readonly Inline[]): string => nodes.map((n) => ('children' in n ? flat(n.children) : n.text)).join('');
    let seed = 20_261_201;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 2_000; run++) {
      const soup = Array.from({ length: 60 }, () => '**`ab '[Math.floor(random() * 6)]).join('');
      const nodes = parseInline(soup);
      expect(depth(nodes)).toBeLessThanOrEqual(MAX_EMPHASIS_DEPTH);
      // Markers that formed markup are gone; nothing else is: letters survive in order.
      expect(flat(nodes).replace(/[^ab]/g, '')).toBe(soup.replace(/[^ab]/g, ''));
    }
  });

  it('links only http and https URLs', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>')).toBeNull();
    expect(parseInline('javascript:alert(1) hxxp://x')).toEqual([{ t: 'text', text: 'javascript:alert(1) hxxp://x' }]);
    expect(parseInline('xhttps://glued.example')).toEqual([{ t: 'text', text: 'xhttps://glued.example' }]);
  });

  it('splits fenced code blocks (unclosed ones run to the end) and quote lines', () => {
    expect(parseMarkdown('intro\n```js\nconst a = **1**;\n```\n> quoted *word*\nafter\n```\nopen')).toEqual([
      { t: 'para', children: [{ t: 'text', text: 'intro' }] },
      { t: 'code-block', text: 'const a = **1**;' },
      { t: 'quote', children: [{ t: 'text', text: 'quoted ' }, { t: 'italic', children: [{ t: 'text', text: 'word' }] }] },
      { t: 'para', children: [{ t: 'text', text: 'after' }] },
      { t: 'code-block', text: 'open' },
    ]);
  });

  it('parses a 16,000-character line of unclosed markers in linear time', () => {
    for (const unit of ['*a', '**a', '`a', 'https://', '> ']) {
      const line = unit.repeat(Math.ceil(16_000 / unit.length)).slice(0, 16_000);
      const started = performance.now();
      const blocks = parseMarkdown(line);
      expect(performance.now() - started).toBeLessThan(250);
      expect(blocks.length).toBeGreaterThan(0);
    }
  });
});
