import { PROTOCOL_VERSION } from '@shoal/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SignalServer } from '../src/create-server';
import { connect, joinMany, newPeerId, startServer, waitFor } from './helpers';

let server: SignalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('limits and abuse', () => {
  it('terminates a socket that stops answering pings and tells its room', async () => {
    server = await startServer({ heartbeatMs: 500 });
    const [a] = await joinMany(server, 'hb', 1);
    const silent = await connect(server, { autoPong: false });
    const id = newPeerId();
    await silent.join('hb', id);
    await a!.client.next('peer-left', (m) => m.peerId === id);
    expect((await silent.closed).code).toBe(1006);
    // The answering client survives several sweeps.
    expect(a!.client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('answers a burst past the token bucket with RATE_LIMITED, then closes 1008 on sustained flooding', async () => {
    // A frozen clock: no refill, so exactly `rateLimitBurst` frames pass.
    server = await startServer({ rateLimitBurst: 5, maxRateLimitedFrames: 20 }, { now: () => 0 });
    const [a, b] = await joinMany(server, 'rl', 2);
    for (let i = 0; i < 30; i++) a!.client.send({ type: 'signal', to: b!.id, data: { i } });
    expect(await a!.client.next('error')).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await a!.client.closed).code).toBe(1008);
    // join used one token: four signals made it through, and only one error frame was sent.
    await waitFor(b!.client.ws, 'message', () => (b!.client.messages.filter((m) => m.type === 'signal').length === 4 ? true : undefined), '4 signals');
    expect(a!.client.messages.filter((m) => m.type === 'error')).toHaveLength(1);
  });

  it('closes with 1009 on a frame over the size limit and counts it', async () => {
    server = await startServer({ maxFrameBytes: 1024 });
    const c = await connect(server);
    c.send('x'.repeat(1025));
    expect((await c.closed).code).toBe(1009);
    expect(server.metrics.errors.get('TOO_LARGE')).toBe(1);
    const ok = await connect(server);
    ok.send('{"type":"leave","pad":"' + 'x'.repeat(1024 - 26) + '"}');
    expect(await ok.next('error')).toMatchObject({ code: 'BAD_SHAPE' });
  });

  it('answers binary frames with BINARY_FRAME and closes 1008 after repeated bad frames', async () => {
    server = await startServer({ maxBadFrames: 3 });
    const c = await connect(server);
    c.send(Buffer.from('{"type":"leave"}'));
    expect(await c.next('error')).toMatchObject({ code: 'BINARY_FRAME' });
    c.send('not json');
    c.send('{"type":"nope"}');
    expect((await c.closed).code).toBe(1008);
    expect(c.messages.map((m) => (m.type === 'error' ? m.code : m.type))).toEqual(['BINARY_FRAME', 'BAD_JSON', 'UNKNOWN_TYPE']);
  });

  it('closes a connection that does not join in time', async () => {
    server = await startServer({ joinTimeoutMs: 50 });
    const c = await connect(server);
    expect(await c.next('error')).toMatchObject({ code: 'JOIN_TIMEOUT' });
    expect((await c.closed).code).toBe(1008);
  });

  it('caps connections per IP address', async () => {
    server = await startServer({ maxConnectionsPerIp: 2 });
    const a = await connect(server);
    await connect(server);
    const third = await connect(server);
    expect(await third.next('error')).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
    expect((await third.closed).code).toBe(1013);
    // A slot freed is a slot available again.
    a.ws.close();
    await a.closed;
    const again = await connect(server);
    await again.join('ip');
  });

  it('counts connections per forwarded client address behind a trusted proxy', async () => {
    server = await startServer({ maxConnectionsPerIp: 1, trustProxy: 1 });
    const via = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    await (await connect(server, via('198.51.100.1'))).join('proxied');
    await (await connect(server, via('198.51.100.2'))).join('proxied');
    const again = await connect(server, via('10.0.0.1, 198.51.100.1'));
    expect(await again.next('error')).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
  });

  it('refuses the upgrade with 403 for an origin not on the list', async () => {
    server = await startServer({ allowedOrigins: ['https://chat.example.test'] });
    const url = server.url.replace(/^http/, 'ws');
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(url, { origin: 'https://evil.example.test' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('opened')));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(403);
    expect(server.metrics.errors.get('ORIGIN_NOT_ALLOWED')).toBe(1);
    const good = await connect(server, { origin: 'https://chat.example.test' });
    await good.join('o');
  });

  it('keeps serving other clients while one sends garbage', async () => {
    server = await startServer();
    const [a, b] = await joinMany(server, 'calm', 2);
    const bad = await connect(server);
    for (let i = 0; i < 20; i++) bad.send('{"type":');
    expect((await bad.closed).code).toBe(1008);
    a!.client.send({ type: 'signal', to: b!.id, data: { still: 'here' } });
    expect((await b!.client.next('signal')).data).toEqual({ still: 'here' });
  });

  it('rejects a join with a malformed room or peer id', async () => {
    server = await startServer();
    const c = await connect(server);
    c.send({ type: 'join', v: PROTOCOL_VERSION, room: '../etc', peerId: newPeerId() });
    expect(await c.next('error')).toMatchObject({ code: 'BAD_SHAPE', ref: 'join' });
    c.send({ type: 'join', v: PROTOCOL_VERSION, room: 'ok', peerId: 'ABC' });
    await waitFor(c.ws, 'message', () => (c.messages.length === 2 ? true : undefined), 'second error');
    expect(c.messages[1]).toMatchObject({ type: 'error', code: 'BAD_SHAPE' });
  });
});
