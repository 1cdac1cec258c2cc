import { PROTOCOL_VERSION } from '@shoal/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalServer } from '../src/create-server';
import { connect, joinMany, newPeerId, startServer } from './helpers';

let server: SignalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('rooms and relay', () => {
  it('welcomes a joiner with the peers already in the room and announces it to them', async () => {
    server = await startServer();
    const [a] = await joinMany(server, 'lobby', 1);
    const b = await connect(server);
    const bId = newPeerId();
    const welcome = await b.join('lobby', bId);
    expect(welcome).toMatchObject({ v: PROTOCOL_VERSION, room: 'lobby', peerId: bId, peers: [a!.id], iceServers: [] });
    await a!.client.next('peer-joined', (m) => m.peerId === bId);
  });

  it('hands out the configured ICE servers in welcome', async () => {
    const iceServers = [{ urls: 'stun:stun.example.test:3478' }];
    server = await startServer({ iceServers });
    const c = await connect(server);
    expect((await c.join('ice')).iceServers).toEqual(iceServers);
  });

  it('lists a bounded random subset of a big room', async () => {
    server = await startServer({ peerListLimit: 3 });
    const members = await joinMany(server, 'big', 8);
    const last = await connect(server);
    const seen = new Set<string>();
    const welcome = await last.join('big');
    expect(welcome.peers).toHaveLength(3);
    expect(new Set(welcome.peers).size).toBe(3);
    for (const id of welcome.peers) seen.add(id);
    expect([...seen].every((id) => members.some((m) => m.id === id))).toBe(true);
  });

  it('relays a signal to the addressee only, stamped with the sender id', async () => {
    server = await startServer();
    const [a, b, c] = await joinMany(server, 'r', 3);
    a!.client.send({ type: 'signal', to: b!.id, data: { sdp: 'offer', n: 1 } });
    const got = await b!.client.next('signal');
    expect(got).toEqual({ type: 'signal', from: a!.id, data: { sdp: 'offer', n: 1 } });
    // c gets nothing: a later frame to c arrives first in c's list.
    a!.client.send({ type: 'signal', to: c!.id, data: { marker: true } });
    const atC = await c!.client.next('signal');
    expect(atC.data).toEqual({ marker: true });
    expect(c!.client.messages.filter((m) => m.type === 'signal')).toHaveLength(1);
  });

  it('relays a signal written with another key order through the general parser', async () => {
    server = await startServer();
    const [a, b] = await joinMany(server, 'order', 2);
    a!.client.send(JSON.stringify({ data: { candidate: 'x' }, to: b!.id, type: 'signal' }));
    expect(await b!.client.next('signal')).toEqual({ type: 'signal', from: a!.id, data: { candidate: 'x' } });
  });

  it('never relays across rooms', async () => {
    server = await startServer();
    const [a] = await joinMany(server, 'one', 1);
    const [b] = await joinMany(server, 'two', 1);
    a!.client.send({ type: 'signal', to: b!.id, data: {} });
    const err = await a!.client.next('error');
    expect(err).toMatchObject({ code: 'UNKNOWN_PEER', ref: 'signal' });
    expect(b!.client.messages.some((m) => m.type === 'signal')).toBe(false);
  });

  it('ignores a forged from: the relayed frame carries the real sender', async () => {
    server = await startServer();
    const [a, b, c] = await joinMany(server, 'spoof', 3);
    a!.client.send({ type: 'signal', to: b!.id, from: c!.id, data: {} });
    expect(await a!.client.next('error')).toMatchObject({ code: 'BAD_SHAPE' });
    a!.client.send(`{"type":"signal","to":"${b!.id}","data":{},"from":"${c!.id}"}`);
    a!.client.send({ type: 'signal', to: b!.id, data: { from: c!.id } });
    const got = await b!.client.next('signal');
    expect(got.from).toBe(a!.id);
    expect(b!.client.messages.filter((m) => m.type === 'signal')).toHaveLength(1);
  });

  it('refuses a second live connection with an id already in the room', async () => {
    server = await startServer();
    const [a] = await joinMany(server, 'dup', 1);
    const twin = await connect(server);
    twin.send({ type: 'join', v: PROTOCOL_VERSION, room: 'dup', peerId: a!.id });
    expect(await twin.next('error')).toMatchObject({ code: 'DUPLICATE_PEER', ref: 'join' });
    // The same id is free again once the first connection is gone.
    a!.client.ws.close();
    await a!.client.closed;
    await twin.join('dup', a!.id);
  });

  it('tells the room when a peer leaves or disconnects, and frees the peer', async () => {
    server = await startServer();
    const [a, b, c] = await joinMany(server, 'bye', 3);
    b!.client.send({ type: 'leave' });
    await a!.client.next('peer-left', (m) => m.peerId === b!.id);
    c!.client.ws.close();
    await a!.client.next('peer-left', (m) => m.peerId === c!.id);
    a!.client.send({ type: 'signal', to: b!.id, data: {} });
    expect(await a!.client.next('error')).toMatchObject({ code: 'UNKNOWN_PEER' });
    // b may join again on the same connection.
    await b!.client.join('bye', b!.id);
  });

  it('refuses a join beyond the room capacity with ROOM_FULL', async () => {
    server = await startServer({ maxPeersPerRoom: 2 });
    await joinMany(server, 'small', 2);
    const third = await connect(server);
    third.send({ type: 'join', v: PROTOCOL_VERSION, room: 'small', peerId: newPeerId() });
    expect(await third.next('error')).toMatchObject({ code: 'ROOM_FULL' });
    await third.join('other-room');
  });

  it('refuses another protocol version and closes with 1008', async () => {
    server = await startServer();
    const c = await connect(server);
    c.send({ type: 'join', v: PROTOCOL_VERSION + 1, room: 'v', peerId: newPeerId() });
    expect(await c.next('error')).toMatchObject({ code: 'VERSION_MISMATCH' });
    expect((await c.closed).code).toBe(1008);
  });

  it('answers signal before join with NOT_JOINED and a second join with ALREADY_JOINED', async () => {
    server = await startServer();
    const c = await connect(server);
    c.send({ type: 'signal', to: newPeerId(), data: {} });
    expect(await c.next('error')).toMatchObject({ code: 'NOT_JOINED', ref: 'signal' });
    await c.join('j');
    c.send({ type: 'join', v: PROTOCOL_VERSION, room: 'k', peerId: newPeerId() });
    expect(await c.next('error', (m) => m.code === 'ALREADY_JOINED')).toMatchObject({ ref: 'join' });
  });
});
