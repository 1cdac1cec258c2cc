import { describe, expect, it } from 'vitest';
import { parsePeerEventLine } from '../src/peer-events';

describe('--json event schema', () => {
  it('accepts each documented event kind', () => {
    const lines = [
      { type: 'ready', room: 'r', peerId: 'p', fingerprint: 'f', name: 'bot', blind: false },
      { type: 'message', room: 'r', id: 'i', kind: 'text', author: 'a', fingerprint: 'f', name: 'n', text: 'hi', sentAt: 1, history: true, own: false },
      { type: 'message', room: 'r', id: 'i', kind: 'text', author: 'a', fingerprint: 'f', name: '', text: null, sentAt: 1, history: false, own: false, problem: 'BLIND' },
      { type: 'peer', room: 'r', peerId: 'p', name: 'n', fingerprint: 'f', state: 'online' },
      { type: 'signaling', room: 'r', status: 'reconnecting', url: 'ws://h/' },
      { type: 'sent', room: 'r', id: 'i' },
      { type: 'invite', room: 'r', code: 'shoal1.x' },
      { type: 'error', code: 'SEND_FAILED', message: 'm' },
    ];
    for (const line of lines) expect(parsePeerEventLine(JSON.stringify(line))).toEqual({ ok: true, value: line });
  });

  it('refuses unknown types, extra fields, wrong states and non-JSON', () => {
    const code = (line: string) => {
      const result = parsePeerEventLine(line);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(code('{"type":"nope"}')).toBe('UNKNOWN_TYPE');
    expect(code(JSON.stringify({ type: 'sent', room: 'r', id: 'i', extra: 1 }))).toBe('BAD_SHAPE');
    expect(code(JSON.stringify({ type: 'peer', room: 'r', peerId: 'p', name: 'n', fingerprint: 'f', state: 'dancing' }))).toBe('BAD_SHAPE');
    expect(code('not json')).toBe('BAD_JSON');
  });
});
