import { describe, expect, it } from 'vitest';
import { formatForTerminal } from '../src/terminal-ui';

const message = { type: 'message', room: 'r', id: 'i', kind: 'text', author: 'a', fingerprint: 'abcd-efgh-ijkl', name: 'ada', sentAt: Date.UTC(2020, 0, 2, 3, 4), history: false, own: false } as const;

describe('terminal lines', () => {
  it('shows a message with name, short fingerprint, time and text, history marked with a dot', () => {
    expect(formatForTerminal({ ...message, text: 'hi' })).toMatch(/^ 2020-01-02 \d\d:04 ada \(abcd-efgh\): hi$/);
    expect(formatForTerminal({ ...message, text: 'old', history: true })?.startsWith('·')).toBe(true);
  });

  it('names what cannot be shown instead of showing nothing', () => {
    expect(formatForTerminal({ ...message, text: null, problem: 'WRONG_PASSPHRASE' })).toContain('[WRONG_PASSPHRASE]');
    expect(formatForTerminal({ ...message, text: null, deleted: true })).toContain('[deleted]');
    expect(formatForTerminal({ ...message, kind: 'reaction', text: '👍' })).toContain('[reaction] 👍');
  });

  it('leaves out handshakes in progress and acknowledgements, and shows errors with their code', () => {
    expect(formatForTerminal({ type: 'peer', room: 'r', peerId: 'p', name: '', fingerprint: '', state: 'connecting' })).toBeNull();
    expect(formatForTerminal({ type: 'sent', room: 'r', id: 'i' })).toBeNull();
    expect(formatForTerminal({ type: 'error', code: 'SEND_FAILED', message: 'too long' })).toBe('! SEND_FAILED: too long');
  });
});
