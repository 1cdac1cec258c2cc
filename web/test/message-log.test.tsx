// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ViewMessage } from '@shoal/shared';
import { contestedSkeletons, messageNameClaims } from '../src/state/name-conflicts';
import { MessageLog } from '../src/ui/message-log';
import { peerId, room } from './ids';
import { chatMessage } from './messages';

const lobby = room('lobby');

function message(n: number, fields: Partial<ViewMessage>): ViewMessage {
  const { id, author, publicKey, seq, lamport, sentAt, name, body } = chatMessage(lobby, peerId(n), 1, n);
  return { id, author, publicKey, seq, lamport, sentAt, name, body, kind: 'text', ...fields };
}

function renderLog(messages: ViewMessage[]) {
  const contested = contestedSkeletons(messageNameClaims(messages));
  return render(<MessageLog messages={messages} isOwn={() => false} hasOlder={false} loadOlder={async () => {}} contested={contested} />);
}

const rowOf = (text: string) => {
  const row = screen.getByText(text, { exact: false }).closest('li');
  if (!row) throw new Error(`no row holds ${text}`);
  return within(row);
};

afterEach(cleanup);

describe('MessageLog', () => {
  it('flags both authors of one name, the impostor who sorts first included', () => {
    renderLog([
      message(1, { name: 'Alice', publicKey: 'IMPOSTOR', fingerprint: 'ffff-0000', body: 'impostor speaks first' }),
      message(2, { name: 'Alice', publicKey: 'REAL', fingerprint: 'aaaa-1111', body: 'real alice' }),
      message(3, { name: 'Bob', publicKey: 'BOB', fingerprint: 'bbbb-2222', body: 'bob here' }),
    ]);
    expect(rowOf('impostor speaks first').getByText('another key uses this name')).toBeTruthy();
    expect(rowOf('real alice').getByText('another key uses this name')).toBeTruthy();
    expect(rowOf('bob here').queryByText('another key uses this name')).toBeNull();
    // Each row keeps its own fingerprint beside the name.
    expect(rowOf('impostor speaks first').getByText('ffff-0000')).toBeTruthy();
    expect(rowOf('real alice').getByText('aaaa-1111')).toBeTruthy();
  });

  it('shows names without bidi overrides and zero-width characters, and flags the look-alike', () => {
    renderLog([
      message(1, { name: 'Alice', publicKey: 'REAL', fingerprint: 'aaaa', body: 'first' }),
      message(2, { name: '\u202A\u0410l\u200Bice\u202C', publicKey: 'FAKE', fingerprint: 'ffff', body: 'second' }),
    ]);
    const author = rowOf('second').getByText('\u0410lice');
    expect(author.textContent).toBe('\u0410lice');
    expect(rowOf('first').getByText('another key uses this name')).toBeTruthy();
  });

  it('renders 3,000 newlines as a few lines and collapses a long message behind "Show more"', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join('\n');
    const longMessage = message(2, { body: lines });
    renderLog([message(1, { body: `top${'\n'.repeat(3000)}bottom` }), longMessage]);
    const newlines = screen.getByText('top', { exact: false });
    expect(newlines.textContent?.split('\n').length).toBeLessThanOrEqual(4);
    const longRow = document.querySelector<HTMLElement>(`li[data-message-id="${longMessage.id}"]`);
    if (!longRow) throw new Error('long message not rendered');
    const long = within(longRow);
    expect(long.queryByText('line 60', { exact: false })).toBeNull();
    const more = long.getByRole('button', { name: 'Show more' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(more);
    expect(long.getByText('line 60', { exact: false })).toBeTruthy();
    expect(long.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('marks a send time in year 10889 as future and renders peer HTML as text', () => {
    renderLog([message(1, { sentAt: 2 ** 48, body: '<img src=x onerror=alert(1)>' })]);
    const time = screen.getByText('future');
    expect(time.getAttribute('title')).toContain('10889');
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
  });
});
