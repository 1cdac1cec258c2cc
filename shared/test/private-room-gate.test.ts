import { afterEach, describe, expect, it } from 'vitest';
import {
  createRoomKeyProof,
  type LinkCloseReason,
  type PeerId,
  PROTOCOL_VERSION,
  type RoomProof,
  roomProofBytes,
  toBase64url,
  utf8Encode,
} from '../src/index';
import { attachRawPeer, type RawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, type SimNetwork, type SimPeer } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

const proofFor = (secret: string): Promise<RoomProof> => createRoomKeyProof(utf8Encode(secret.padEnd(32, '.')), 'room-id');

async function privateRoom(size: number, secretOf: (index: number) => string): Promise<SimNetwork> {
  const proofs = await Promise.all(Array.from({ length: size }, (_, i) => proofFor(secretOf(i))));
  return createSimNetwork({ size, roomProofs: (i) => [proofs[i]!] });
}

function closesAt(peer: SimPeer): Array<{ peerId: PeerId | null; reason: LinkCloseReason }> {
  const closes: Array<{ peerId: PeerId | null; reason: LinkCloseReason }> = [];
  peer.mesh.on('link-closed', (c) => closes.push(c));
  return closes;
}

/** Nothing a member said to the outsider names anyone: no hello, no name, no topology, no message. */
function expectNothingLearned(outsider: RawPeer, member: SimPeer): void {
  expect(outsider.inbox.map((f) => f.type).every((t) => t === 'room-auth' || t === 'room-proof')).toBe(true);
  expect(JSON.stringify(outsider.inbox)).not.toContain(member.identity.publicKey);
  expect(JSON.stringify(outsider.inbox)).not.toContain('peer 0');
}

describe('a private room', () => {
  it('links members who hold the room key, with names and messages as in a public room', async () => {
    net = await privateRoom(3, () => 'the room key');
    net.connect(0, 1);
    net.connect(1, 2);
    await eventually(() => expect(onlineCount(net!.peers[1]!)).toBe(2));
    expect(net.peers[0]!.mesh.peers().map((p) => p.name)).toEqual(['peer 1']);
    const sent = await net.peers[0]!.mesh.send('inside');
    await eventually(() => expect(net!.peers[2]!.received.map((m) => m.id)).toEqual([sent.id]));
  });

  it('closes an outsider who speaks the public handshake (ROOM_KEY_REQUIRED) before telling it any name', async () => {
    net = await privateRoom(1, () => 'the room key');
    const member = net.peers[0]!;
    const closes = closesAt(member);
    const outsider = await attachRawPeer(member, peerIdOf(66), { handshake: false });
    outsider.send({ type: 'hello', v: PROTOCOL_VERSION, room: ROOM, peerId: outsider.peerId, name: 'eve', publicKey: outsider.identity.publicKey, nonce: toBase64url(new Uint8Array(16)) });
    await eventually(() => expect(closes).toEqual([{ peerId: null, reason: 'ROOM_KEY_REQUIRED' }]));
    expect(outsider.closed()).toBe(true);
    expect(member.mesh.counters().roomProofFailures).toBe(1);
    expectNothingLearned(outsider, member);
  });

  it('closes an outsider whose room proof fails (ROOM_KEY_MISMATCH): it never sees a hello', async () => {
    net = await privateRoom(1, () => 'the room key');
    const member = net.peers[0]!;
    const closes = closesAt(member);
    const mismatches: PeerId[] = [];
    member.mesh.on('room-key-mismatch', ({ peerId }) => mismatches.push(peerId));
    const outsider = await attachRawPeer(member, peerIdOf(66), { handshake: false });
    const nonce = toBase64url(new Uint8Array(16).fill(7));
    outsider.send({ type: 'room-auth', peerId: outsider.peerId, nonce });
    // The outsider's best try: a MAC under a guessed key, over the right transcript.
    const memberAuth = outsider.inbox.find((f) => f.type === 'room-auth');
    if (memberAuth?.type !== 'room-auth') throw new Error('the member did not open with room-auth');
    const guess = await proofFor('a guessed key');
    const proof = await guess.prove(roomProofBytes(ROOM, outsider.peerId, nonce, member.id, memberAuth.nonce));
    outsider.send({ type: 'room-proof', scheme: guess.scheme, proof });
    await eventually(() => expect(closes).toEqual([{ peerId: null, reason: 'ROOM_KEY_MISMATCH' }]));
    expect(mismatches).toEqual([outsider.peerId]);
    expectNothingLearned(outsider, member);
  });

  it('reports a wrong passphrase on both sides when two members hold different keys, and never links them', async () => {
    net = await privateRoom(2, (i) => (i === 0 ? 'the room key' : 'another key'));
    const mismatches: PeerId[][] = [[], []];
    net.peers.forEach((p, i) => p.mesh.on('room-key-mismatch', ({ peerId }) => mismatches[i]!.push(peerId)));
    const closes = [closesAt(net.peers[0]!), closesAt(net.peers[1]!)];
    net.connect(0, 1);
    await eventually(() => expect(mismatches).toEqual([[net!.peers[1]!.id], [net!.peers[0]!.id]]));
    // Whichever side checked first closed the link; the other may see it close under it.
    expect(closes.flat().map((c) => c.reason)).toContain('ROOM_KEY_MISMATCH');
    expect(onlineCount(net.peers[0]!)).toBe(0);
    expect(net.peers[0]!.mesh.peers().map((p) => p.name)).not.toContain('peer 1');
  });

  it('refuses a hello from another peer id than the one that proved the room key', async () => {
    net = await privateRoom(1, () => 'the room key');
    const member = net.peers[0]!;
    const closes = closesAt(member);
    const insider = await attachRawPeer(member, peerIdOf(66), { handshake: false });
    const nonce = toBase64url(new Uint8Array(16).fill(7));
    insider.send({ type: 'room-auth', peerId: insider.peerId, nonce });
    const memberAuth = insider.inbox.find((f) => f.type === 'room-auth');
    if (memberAuth?.type !== 'room-auth') throw new Error('the member did not open with room-auth');
    const key = await proofFor('the room key');
    insider.send({ type: 'room-proof', scheme: key.scheme, proof: await key.prove(roomProofBytes(ROOM, insider.peerId, nonce, member.id, memberAuth.nonce)) });
    await eventually(() => expect(insider.inbox.map((f) => f.type)).toContain('hello'));
    insider.send({ type: 'hello', v: PROTOCOL_VERSION, room: ROOM, peerId: peerIdOf(67), name: 'x', publicKey: insider.identity.publicKey, nonce });
    await eventually(() => expect(closes.map((c) => c.reason)).toEqual(['UNEXPECTED_PEER']));
  });
});
