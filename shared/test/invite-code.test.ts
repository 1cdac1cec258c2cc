import { describe, expect, it } from 'vitest';
import { MAX_INVITE_CODE_CHARS, decodeInviteCode, encodeInviteCode } from '../src/link/invite-code';

const sdp = ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0', 'a=candidate:1 1 udp 2113937151 192.168.1.20 54400 typ host generation 0', 'a=ice-ufrag:abcd', 'a=ice-pwd:0123456789abcdef012345',
  'a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99', 'a=setup:actpass', 'a=mid:0', 'a=sctp-port:5000'].join('\r\n');

describe('invite codes', () => {
  it('round-trips an offer and an answer through compact text', async () => {
    for (const type of ['offer', 'answer'] as const) {
      const code = await encodeInviteCode({ type, sdp });
      expect(code).toMatch(/^shoal1\.[A-Za-z0-9_-]+$/);
      expect(code.length).toBeLessThan(sdp.length);
      expect(await decodeInviteCode(`  ${code}\n`)).toEqual({ type, sdp });
    }
  });

  it('rejects text that is not a whole code', async () => {
    const code = await encodeInviteCode({ type: 'offer', sdp });
    for (const text of ['', 'hello', code.slice(0, -10), code.replace('shoal1.', 'shoal2.'), `shoal1.${'A'.repeat(MAX_INVITE_CODE_CHARS)}`, 'shoal1.!!!']) {
      expect(await decodeInviteCode(text)).toBeNull();
    }
  });

  it('rejects a code carrying something other than an offer or answer', async () => {
    const candidate = await encodeInviteCode({ type: 'candidate', candidate: { candidate: 'a=candidate:1' } });
    expect(await decodeInviteCode(candidate)).toBeNull();
  });
});
