import { MAX_SIGNAL_FRAME_BYTES } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseConfig } from '../src/config';

describe('parseConfig', () => {
  it('uses the documented defaults', () => {
    expect(parseConfig([], {}, '/srv/web')).toEqual({ kind: 'config', config: { ...DEFAULTS, staticDir: '/srv/web' } });
    expect(DEFAULTS).toMatchObject({ port: 8080, host: '127.0.0.1', maxFrameBytes: MAX_SIGNAL_FRAME_BYTES, allowedOrigins: [], iceServers: [] });
  });

  it('reads the environment and lets flags win over it', () => {
    const r = parseConfig(['--port', '9000', '--allowed-origins=https://a.test, https://b.test'], { PORT: '7000', HOST: '0.0.0.0', LOG_LEVEL: 'debug' }, '/w');
    expect(r.kind === 'config' && r.config).toMatchObject({ port: 9000, host: '0.0.0.0', logLevel: 'debug', allowedOrigins: ['https://a.test', 'https://b.test'] });
  });

  it('reads the socket caps and the idle timeout from flags and environment', () => {
    const r = parseConfig(['--max-pending-per-ip', '8', '--idle-timeout-ms=2500'], { MAX_CONNECTIONS: '500' }, '/w');
    expect(r.kind === 'config' && r.config).toMatchObject({ maxPendingPerIp: 8, maxConnections: 500, idleTimeoutMs: 2500 });
    expect(DEFAULTS).toMatchObject({ maxPendingPerIp: 64, maxConnections: 19_000, idleTimeoutMs: 10_000 });
    expect(parseConfig(['--idle-timeout-ms', '0'], {}, '/w').kind).toBe('error');
  });

  it('reads the Redis URL, presence TTL and workers, and refuses workers without Redis', () => {
    const r = parseConfig(['--redis-url', 'redis://127.0.0.1:6380/2', '--workers', '3'], { PRESENCE_TTL_MS: '5000' }, '/w');
    expect(r.kind === 'config' && r.config).toMatchObject({ redisUrl: 'redis://127.0.0.1:6380/2', workers: 3, presenceTtlMs: 5000 });
    expect(DEFAULTS).toMatchObject({ redisUrl: '', workers: 1, presenceTtlMs: 15_000 });
    expect(parseConfig(['--workers', '2'], {}, '/w')).toMatchObject({ kind: 'error', message: expect.stringContaining('--redis-url') });
    expect(parseConfig(['--redis-url', 'http://x'], {}, '/w').kind).toBe('error');
  });

  it('parses ICE servers as validated JSON', () => {
    const ice = '[{"urls":["turn:t.example.test:3478"],"username":"u","credential":"c"}]';
    const r = parseConfig([], { ICE_SERVERS: ice }, '/w');
    expect(r.kind === 'config' && r.config.iceServers).toEqual(JSON.parse(ice));
    expect(parseConfig(['--ice-servers', '{"urls":1}'], {}, '/w').kind).toBe('error');
    expect(parseConfig(['--ice-servers', 'not json'], {}, '/w').kind).toBe('error');
  });

  it.each([
    [['--port', '70000']],
    [['--port', '-1']],
    [['--port', '12abc']],
    [['--rate-limit', '0']],
    [['--log-level', 'loud']],
    [['--peer-list-limit', '65']],
    [['--bogus', '1']],
    [['--port']],
  ])('refuses %j', (argv) => {
    expect(parseConfig(argv, {}, '/w').kind).toBe('error');
  });

  it('prints help that lists every option with its variable', () => {
    const r = parseConfig(['--help'], {}, '/w');
    expect(r.kind).toBe('help');
    if (r.kind === 'help') for (const name of ['--port', 'PORT', '--max-conns-per-ip', 'ICE_SERVERS', 'LOG_LEVEL', 'SHUTDOWN_GRACE_MS']) expect(r.text).toContain(name);
  });
});
