import { describe, expect, it } from 'vitest';
import type { PeerSignal } from '@shoal/shared/link';
import { KEY, offer, setup } from './connector-harness';
import { peerId } from './ids';

describe('peer connector', () => {
  it('initiates only towards higher peer ids, with the ICE servers from the welcome', () => {
    const t = setup(peerId(5));
    t.welcome([peerId(3), peerId(7), peerId(9)]);
    expect(t.connections.map((c) => c.options)).toEqual([
      { initiator: true, iceServers: [{ urls: 'stun:127.0.0.1:1' }] },
      { initiator: true, iceServers: [{ urls: 'stun:127.0.0.1:1' }] },
    ]);
    t.connections[0]?.emitSignal(offer);
    expect(t.sent).toEqual([{ to: peerId(7), data: offer }]);
  });

  it('answers an offer from a lower id and hands the opened link to the mesh', () => {
    const t = setup(peerId(5));
    t.welcome([]);
    t.signaling.emit('peer-joined', peerId(2));
    expect(t.connections).toHaveLength(0);
    t.signaling.emit('signal', { from: peerId(2), data: offer });
    expect(t.connections[0]?.options.initiator).toBe(false);
    expect(t.connections[0]?.received).toEqual([offer]);
    t.connections[0]?.connect();
    expect(t.links).toEqual([peerId(2)]);
    expect(t.connector.linkedPeerIds()).toEqual([peerId(2)]);
  });

  it('drops and counts signals that are not offers, answers or candidates', () => {
    const t = setup(peerId(5));
    t.welcome([]);
    t.signaling.emit('signal', { from: peerId(2), data: { renegotiate: true } });
    t.signaling.emit('signal', { from: peerId(2), data: { type: 'offer', sdp: 'x'.repeat(40_000) } });
    t.signaling.emit('signal', { from: peerId(2), data: { type: 'candidate', candidate: { candidate: 1 } } });
    expect(t.connector.invalidSignals()).toBe(3);
    expect(t.connections).toHaveLength(0);
  });

  it('keeps its own offer when a higher id offers at the same time (glare)', () => {
    const t = setup(peerId(1));
    t.welcome([peerId(2)]);
    t.signaling.emit('signal', { from: peerId(2), data: offer });
    expect(t.connections).toHaveLength(1);
    expect(t.connections[0]?.destroyed).toBe(false);
    expect(t.connections[0]?.received).toEqual([]);
  });

  it('re-dials a peer that is still present after its connection fails, with backoff', () => {
    const t = setup(peerId(1));
    t.welcome([peerId(2)]);
    t.connections[0]?.fail();
    expect(t.connections).toHaveLength(1);
    t.clock.advance(1_000);
    expect(t.connections).toHaveLength(2);
    t.signaling.emit('peer-left', peerId(2));
    t.clock.advance(60_000);
    expect(t.connections).toHaveLength(2);
    expect(t.connections[1]?.destroyed).toBe(true);
  });

  it('abandons an attempt that does not open in time', () => {
    const t = setup(peerId(1));
    t.welcome([peerId(2)]);
    t.clock.advance(15_000);
    expect(t.connections[0]?.destroyed).toBe(true);
  });

  it('keeps an open link when the peer leaves the signal server', () => {
    const t = setup(peerId(1));
    t.welcome([peerId(2)]);
    t.connections[0]?.connect();
    t.signaling.emit('peer-left', peerId(2));
    expect(t.connections[0]?.destroyed).toBe(false);
  });

  it('does not dial a peer twice when a later welcome lists it again', () => {
    const t = setup(peerId(1));
    t.welcome([peerId(2)]);
    t.connections[0]?.connect();
    t.welcome([peerId(2), peerId(3)]);
    expect(t.connections.map((c) => c.destroyed)).toEqual([false, false]);
    expect(t.connections).toHaveLength(2);
  });

  it('replaces the answering side when the initiator restarts with a new offer', () => {
    const t = setup(peerId(5));
    t.welcome([]);
    t.signaling.emit('signal', { from: peerId(2), data: offer });
    t.connections[0]?.connect();
    t.signaling.emit('signal', { from: peerId(2), data: offer });
    expect(t.connections[0]?.destroyed).toBe(true);
    expect(t.connections[1]?.received).toEqual([offer]);
  });

  it('cuts a link and refuses to link with that peer again', () => {
    const t = setup(peerId(1));
    t.welcome([peerId(2)]);
    t.connections[0]?.connect();
    expect(t.connector.cut(peerId(2))).toBe(true);
    expect(t.connections[0]?.destroyed).toBe(true);
    expect(t.connector.linkedPeerIds()).toEqual([]);
    t.clock.advance(120_000);
    t.signaling.emit('peer-joined', peerId(2));
    t.signaling.emit('signal', { from: peerId(2), data: offer });
    expect(t.connections).toHaveLength(1);
  });

  it('destroys every connection and timer on close', () => {
    const t = setup(peerId(1));
    t.welcome([peerId(2), peerId(3)]);
    t.connector.close();
    expect(t.connections.every((c) => c.destroyed)).toBe(true);
    expect(t.clock.pending()).toBe(0);
    t.signaling.emit('peer-joined', peerId(4));
    expect(t.connections).toHaveLength(2);
  });
});

describe('peer connector over mesh signaling', () => {
  it('dials a peer the mesh found, as initiator, and relays its handshake over the mesh', () => {
    const t = setup(peerId(5));
    t.welcome([]);
    t.meshEvents.emit('want-link', { peerId: peerId(2), via: peerId(7) });
    expect(t.connections[0]?.options.initiator).toBe(true);
    t.connections[0]?.emitSignal(offer);
    expect(t.sent).toEqual([]);
    expect(t.relayed).toEqual([{ to: peerId(2), data: offer }]);
    const answer: PeerSignal = { type: 'answer', sdp: 'v=0 answer' };
    t.meshEvents.emit('relay-signal', { from: peerId(2), data: answer, publicKey: KEY, via: peerId(7) });
    expect(t.connections[0]?.received).toEqual([answer]);
  });

  it('leaves a peer the server introduced to the glare rule when the mesh wants a link to it', () => {
    const t = setup(peerId(5));
    t.welcome([peerId(2), peerId(8)]);
    expect(t.connections).toHaveLength(1); // towards 8 only
    t.meshEvents.emit('want-link', { peerId: peerId(2), via: peerId(8) });
    t.meshEvents.emit('want-link', { peerId: peerId(8), via: peerId(2) });
    expect(t.connections).toHaveLength(1);
    t.signaling.emit('signal', { from: peerId(2), data: offer });
    expect(t.connections[1]?.options.initiator).toBe(false);
  });

  it('answers a relayed offer back through the mesh', () => {
    const t = setup(peerId(5));
    t.welcome([]);
    t.meshEvents.emit('relay-signal', { from: peerId(9), data: offer, publicKey: KEY, via: peerId(7) });
    t.connections[0]?.emitSignal({ type: 'answer', sdp: 'v=0 answer' });
    expect(t.relayed.map((r) => r.to)).toEqual([peerId(9)]);
  });

  it('records whether each open link was set up through the server or the mesh', () => {
    const t = setup(peerId(5));
    t.welcome([peerId(7)]);
    t.meshEvents.emit('want-link', { peerId: peerId(9), via: peerId(7) });
    t.connections[0]?.connect();
    t.connections[1]?.connect();
    expect(t.connector.linkRoutes()).toEqual([{ peerId: peerId(7), route: 'server' }, { peerId: peerId(9), route: 'mesh' }]);
  });

  it('falls back to the mesh when the signal server is down', () => {
    const t = setup(peerId(1), false);
    t.welcome([peerId(2)]);
    t.connections[0]?.emitSignal(offer);
    expect(t.relayed).toEqual([{ to: peerId(2), data: offer }]);
  });

  it('does not re-dial a peer it was told to hold off', () => {
    const t = setup(peerId(1));
    t.welcome([peerId(2)]);
    t.connections[0]?.connect();
    t.connector.holdOff(peerId(2));
    t.connections[0]?.fail();
    t.clock.advance(120_000);
    expect(t.connections).toHaveLength(1);
  });

  it('in a room past fullMeshUpTo, dials only targetDegree listed peers, as initiator whatever the ids', () => {
    const t = setup(peerId(50), true, { fullMeshUpTo: 4, targetDegree: 2 });
    const listed = [peerId(1), peerId(2), peerId(3), peerId(60), peerId(70)];
    t.welcome(listed);
    expect(t.connections).toHaveLength(2);
    expect(t.connections.every((c) => c.options.initiator)).toBe(true);
    t.connections[0]?.emitSignal(offer);
    expect(listed).toContain(t.sent[0]?.to);
  });

  it('in a room past fullMeshUpTo, leaves newcomers to choose, and dials a link the mesh wants', () => {
    const t = setup(peerId(5), true, { fullMeshUpTo: 3, targetDegree: 2 });
    t.welcome([peerId(1), peerId(9)]);
    const before = t.connections.length;
    t.signaling.emit('peer-joined', peerId(8));
    expect(t.connections).toHaveLength(before);
    t.meshEvents.emit('want-link', { peerId: peerId(1), via: peerId(9) });
    expect(t.connections.at(-1)?.options.initiator).toBe(true);
  });
});
