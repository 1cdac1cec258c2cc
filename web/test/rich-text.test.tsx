// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageBody } from '../src/ui/message-body';

afterEach(cleanup);

function renderBody(text: string) {
  return render(<MessageBody text={text} />).container;
}

describe('rich text in message bodies', () => {
  it('renders bold, italic, code, code blocks and quotes as elements', () => {
    const body = renderBody('**bold** *italic* `code`\n> a quote\n```\nblock <b>x</b>\n```');
    expect(body.querySelector('strong')?.textContent).toBe('bold');
    expect(body.querySelector('em')?.textContent).toBe('italic');
    expect(body.querySelector('p code, div code')?.textContent).toBe('code');
    expect(body.querySelector('blockquote')?.textContent).toBe('a quote');
    expect(body.querySelector('pre code')?.textContent).toBe('block <b>x</b>');
    expect(body.querySelector('b')).toBeNull();
  });

  it('turns http(s) URLs into links that open in a new tab without an opener', () => {
    renderBody('see https://example.org/a?b=1, thanks');
    const link = screen.getByRole('link', { name: 'https://example.org/a?b=1' });
    expect(link.getAttribute('href')).toBe('https://example.org/a?b=1');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('keeps hostile input as text: HTML, javascript: links, markers around HTML', () => {
    const body = renderBody('<img src=x onerror=alert(1)> javascript:alert(1) **<script>alert(1)</script>** [x](javascript:alert(1))');
    expect(body.querySelector('img, script')).toBeNull();
    expect(body.querySelectorAll('a')).toHaveLength(0);
    expect(body.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(body.querySelector('strong')?.textContent).toBe('<script>alert(1)</script>');
  });
});
