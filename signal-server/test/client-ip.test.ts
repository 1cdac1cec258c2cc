import { describe, expect, it } from 'vitest';
import { clientIp } from '../src/client-ip';

describe('clientIp', () => {
  it('is the socket address when no proxy is trusted, whatever the header says', () => {
    expect(clientIp('203.0.113.9', '198.51.100.1', 0)).toBe('203.0.113.9');
  });

  it('takes the entry the trusted proxies appended, not what the client wrote further left', () => {
    // The client sent "X-Forwarded-For: 10.9.9.9"; one proxy appended the client's real address.
    expect(clientIp('127.0.0.1', '10.9.9.9, 198.51.100.7', 1)).toBe('198.51.100.7');
    // Two proxies: the edge appended the client, the inner one appended the edge.
    expect(clientIp('127.0.0.1', '10.9.9.9, 198.51.100.7, 192.0.2.10', 2)).toBe('198.51.100.7');
    expect(clientIp('::1', ['2001:db8::1', '2001:db8::2'], 1)).toBe('2001:db8::2');
  });

  it('falls back to the socket address for a missing, short or malformed header', () => {
    expect(clientIp('127.0.0.1', undefined, 1)).toBe('127.0.0.1');
    expect(clientIp('127.0.0.1', '198.51.100.7', 2)).toBe('127.0.0.1');
    expect(clientIp('127.0.0.1', 'not an address', 1)).toBe('127.0.0.1');
    expect(clientIp('127.0.0.1', '', 1)).toBe('127.0.0.1');
    expect(clientIp(undefined, undefined, 0)).toBe('unknown');
  });
});
