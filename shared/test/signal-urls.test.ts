import { describe, expect, it } from 'vitest';
import { MAX_SIGNAL_URLS, signalUrls } from '../src/link/signal-urls';

describe('signalUrls', () => {
  it('defaults to the page origin with the matching websocket scheme', () => {
    expect(signalUrls({ protocol: 'http:', host: 'localhost:8080', search: '' })).toEqual(['ws://localhost:8080/']);
    expect(signalUrls({ protocol: 'https:', host: 'chat.example', search: '?x=1' })).toEqual(['wss://chat.example/']);
  });

  it('takes a list from ?signal= and drops entries that are not websocket URLs', () => {
    const search = '?signal=' + encodeURIComponent('wss://a.example, javascript:alert(1),nonsense,ws://b:1/x');
    expect(signalUrls({ protocol: 'http:', host: 'h', search })).toEqual(['wss://a.example', 'ws://b:1/x']);
  });

  it('falls back to the origin when the list holds nothing usable, and caps its length', () => {
    expect(signalUrls({ protocol: 'http:', host: 'h', search: '?signal=ftp://x' })).toEqual(['ws://h/']);
    const many = Array.from({ length: 20 }, (_, i) => `ws://s${i}/`).join(',');
    expect(signalUrls({ protocol: 'http:', host: 'h', search: `?signal=${many}` })).toHaveLength(MAX_SIGNAL_URLS);
  });

  it('takes the page config when the URL names no server, and lets ?signal= override it', () => {
    const page = 'wss://one.example/, wss://two.example/';
    expect(signalUrls({ protocol: 'https:', host: 'h', search: '' }, page)).toEqual(['wss://one.example/', 'wss://two.example/']);
    expect(signalUrls({ protocol: 'https:', host: 'h', search: '?signal=wss://three.example/' }, page)).toEqual(['wss://three.example/']);
    expect(signalUrls({ protocol: 'https:', host: 'h', search: '' }, '')).toEqual(['wss://h/']);
  });
});
