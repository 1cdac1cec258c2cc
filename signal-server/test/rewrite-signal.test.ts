import { parseClientMessage, parseServerMessage } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { rewriteSignal } from '../src/frames';
import { newPeerId } from './helpers';

const FROM = newPeerId();
const TO = newPeerId();

describe('rewriteSignal (relay fast path)', () => {
  it('stamps from on a canonical signal frame and keeps data byte for byte', () => {
    const data = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"quoted" \u00e9' };
    const fast = rewriteSignal(JSON.stringify({ type: 'signal', to: TO, data }), FROM);
    expect(fast?.to).toBe(TO);
    const parsed = parseServerMessage(fast?.relayed ?? '');
    expect(parsed).toEqual({ ok: true, value: { type: 'signal', from: FROM, data } });
  });

  it.each([
    ['extra key after data', `{"type":"signal","to":"${TO}","data":{},"from":"${FROM}"}`],
    ['data not an object', `{"type":"signal","to":"${TO}","data":[]}`],
    ['broken data', `{"type":"signal","to":"${TO}","data":{"a":}}`],
    ['two objects in data', `{"type":"signal","to":"${TO}","data":{},{}}`],
    ['trailing garbage', `{"type":"signal","to":"${TO}","data":{}}x`],
    ['other key order', `{"to":"${TO}","type":"signal","data":{}}`],
    ['whitespace', `{"type": "signal","to":"${TO}","data":{}}`],
  ])('leaves %s to the general parser', (_name, frame) => {
    expect(rewriteSignal(frame, FROM)).toBeNull();
  });

  it('accepts only frames the schema accepts as a signal (random mutations)', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const base = JSON.stringify({ type: 'signal', to: TO, data: { sdp: 'abc', n: [1, 2, { x: null }] } });
    const alphabet = '{}[]",:\\ 0a-"';
    let fastHits = 0;
    for (let i = 0; i < 5000; i++) {
      const chars = [...base];
      for (let k = 0; k <= rand(3); k++) chars.splice(rand(chars.length), rand(2), alphabet[rand(alphabet.length)] ?? '');
      const frame = chars.join('');
      const fast = rewriteSignal(frame, FROM);
      if (!fast) continue;
      fastHits++;
      const slow = parseClientMessage(frame);
      // Whatever passes the fast path is a valid signal whose relayed form carries the same data.
      if (fast.to === TO) {
        expect(slow.ok, frame).toBe(true);
        if (slow.ok && slow.value.type === 'signal') expect(JSON.parse(fast.relayed).data).toEqual(slow.value.data);
      }
    }
    expect(fastHits).toBeGreaterThan(0);
  });
});
