import { describe, expect, it } from 'vitest';
import { parseRoute, randomRoomName, roomLink } from '../src/state/route';
import { loadName, saveName } from '../src/state/name-pref';
import { room } from './ids';

describe('routes', () => {
  it('opens the room named by the hash, and the landing page without one', () => {
    expect(parseRoute('#team-chat_1.0')).toEqual({ kind: 'room', room: 'team-chat_1.0', private: false });
    expect(parseRoute('#p/team-chat')).toEqual({ kind: 'room', room: 'team-chat', private: true });
    expect(parseRoute('')).toEqual({ kind: 'landing', error: null });
    expect(parseRoute('#')).toEqual({ kind: 'landing', error: null });
  });

  it('sends an invalid room name to the landing page with an error', () => {
    for (const hash of ['#<script>', '#a b', `#${'x'.repeat(65)}`, '#%E0%A4%A', '#p/', '#p/a/b']) {
      const route = parseRoute(hash);
      expect(route.kind).toBe('landing');
      expect(route.kind === 'landing' && route.error).toBeTruthy();
    }
  });

  it('makes random room names that are valid rooms', () => {
    let n = 0;
    const name = randomRoomName(() => ((n += 0.37) % 1));
    expect(parseRoute(`#${name}`)).toEqual({ kind: 'room', room: name, private: false });
  });

  it('builds share links that keep the query (signal servers) and name the room', () => {
    expect(roomLink({ origin: 'https://h', pathname: '/', search: '?signal=wss://a' }, room('abc'))).toBe('https://h/?signal=wss://a#abc');
    expect(roomLink({ origin: 'https://h', pathname: '/', search: '' }, room('abc'), true)).toBe('https://h/#p/abc');
  });
});

describe('remembered name', () => {
  it('round-trips through storage and survives storage that throws', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    expect(loadName(storage)).toBe('');
    saveName(storage, 'Ada');
    expect(loadName(storage)).toBe('Ada');
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(loadName(broken)).toBe('');
    expect(() => saveName(broken, 'x')).not.toThrow();
  });
});

describe('own sessions', () => {
  it('remembers the session ids of this tab across loads, bounded, and survives corrupt storage', async () => {
    const { rememberSession, MAX_REMEMBERED_SESSIONS, SESSIONS_KEY } = await import('../src/state/own-sessions');
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    rememberSession(storage, 'first');
    expect([...rememberSession(storage, 'second')]).toEqual(['first', 'second']);
    for (let i = 0; i < 40; i++) rememberSession(storage, `s${i}`);
    expect(rememberSession(storage, 'last').size).toBe(MAX_REMEMBERED_SESSIONS);
    map.set(SESSIONS_KEY, '{"not":"a list"}');
    expect([...rememberSession(storage, 'fresh')]).toEqual(['fresh']);
  });
});
