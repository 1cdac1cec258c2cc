import { parseClientMessage, parseServerMessage } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { encode, isRelayedSignal, rewriteSignal, textFrameHeader } from '../src/frames';
import { newPeerId } from './helpers';

const FROM = newPeerId();
const rewrite = (frame: string) => rewriteSignal(Buffer.from(frame), FROM);
const TO = newPeerId();

describe('rewriteSignal (relay fast path)', () => {
  it('stamps from on a canonical signal frame and keeps data byte for byte', () => {
    const data = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"quoted" \u00e9' };
    const fast = rewrite(JSON.stringify({ type: 'signal', to: TO, data }));
    expect(fast?.to).toBe(TO);
    const parsed = parseServerMessage(fast?.relayed.toString() ?? '');
    expect(parsed).toEqual({ ok: true, value: { type: 'signal', from: FROM, data } });
  });

  it('rewrites byte for byte, non-ASCII data included', () => {
    const fast = rewrite(JSON.stringify({ type: 'signal', to: TO, data: { candidate: 'a=1', name: 'Zoë 🐟' } }));
    expect(fast?.relayed.toString()).toBe(`{"type":"signal","from":"${FROM}","data":{"candidate":"a=1","name":"Zoë 🐟"}}`);
  });

  it('leaves a frame with a non-ASCII addressee to the general parser by not matching any member', () => {
    const to = `${TO.slice(0, 34)}é`;
    const fast = rewrite(`{"type":"signal","to":"${to}","data":{}}`);
    expect(fast === null || fast.to !== to).toBe(true);
  });

  it.each([
    ['extra key after data', `{"type":"signal","to":"${TO}","data":{},"from":"${FROM}"}`],
    ['data not an object', `{"type":"signal","to":"${TO}","data":[]}`],
    ['broken data', `{"type":"signal","to":"${TO}","data":{"a":}}`],
    ['two objects in data', `{"type":"signal","to":"${TO}","data":{},{}}`],
    ['trailing garbage', `{"type":"signal","to":"${TO}","data":{}}x`],
    ['other key order', `{"to":"${TO}","type":"signal","data":{}}`],
    ['whitespace', `{"type": "signal","to":"${TO}","data":{}}`],
    ['control character in data', `{"type":"signal","to":"${TO}","data":{"a":"\u0001"}}`],
    ['too short', '{"type":"signal","to":"'],
  ])('leaves %s to the general parser', (_name, frame) => {
    expect(rewrite(frame)).toBeNull();
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
      const fast = rewrite(frame);
      if (!fast) continue;
      fastHits++;
      const slow = parseClientMessage(frame);
      // Whatever passes the fast path is a valid signal whose relayed form carries the same data.
      if (fast.to === TO) {
        expect(slow.ok, frame).toBe(true);
        if (slow.ok && slow.value.type === 'signal') expect(JSON.parse(fast.relayed.toString()).data).toEqual(slow.value.data);
      }
    }
    expect(fastHits).toBeGreaterThan(0);
  });
});

describe('textFrameHeader', () => {
  it.each([0, 125, 126, 65535, 65536])('encodes a %i-byte payload length as RFC 6455 says', (n) => {
    const head = textFrameHeader(n);
    expect(head[0]).toBe(0x81);
    const size = n < 126 ? 2 : n < 65536 ? 4 : 10;
    expect(head.length).toBe(size);
    expect(head[1]).toBe(size === 2 ? n : size === 4 ? 126 : 127);
    const length = size === 2 ? head[1] : size === 4 ? head.readUInt16BE(2) : Number(head.readBigUInt64BE(2));
    expect(length).toBe(n);
  });

  it('hands out one shared header per length', () => {
    expect(textFrameHeader(1024)).toBe(textFrameHeader(1024));
  });
});

describe('isRelayedSignal (frames read from Redis)', () => {
  it('accepts the frames this server relays: the fast path and encode()', () => {
    const fast = rewrite(JSON.stringify({ type: 'signal', to: TO, data: { name: 'Zoë 🐟' } }));
    expect(fast && isRelayedSignal(fast.relayed)).toBe(true);
    expect(isRelayedSignal(Buffer.from(encode({ type: 'signal', from: FROM, data: { a: [1, { b: null }] } })))).toBe(true);
  });

  it.each([
    ['a bad from', `{"type":"signal","from":"${FROM.toUpperCase()}","data":{}}`],
    ['another type', `{"type":"welcome","from":"${FROM}","data":{}}`],
    ['a key after data', `{"type":"signal","from":"${FROM}","data":{},"x":1}`],
    ['data that is not JSON', `{"type":"signal","from":"${FROM}","data":{"a":}}`],
    ['two values as data', `{"type":"signal","from":"${FROM}","data":{}{}}`],
    ['nothing after the prefix', `{"type":"signal","from":"${FROM}"`],
  ])('refuses %s', (_what, frame) => {
    expect(isRelayedSignal(Buffer.from(frame))).toBe(false);
  });

  it('refuses invalid UTF-8 inside data', () => {
    const frame = Buffer.concat([Buffer.from(`{"type":"signal","from":"${FROM}","data":{"x":"`), Buffer.from([0xc3]), Buffer.from('"}}')]);
    expect(isRelayedSignal(frame)).toBe(false);
  });
});
