import { MAX_RELAYED_PENDING, MAX_RELAYED_PENDING_PER_NEIGHBOUR } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import type { PeerSignal } from '@shoal/shared/link';
import { KEY, offer, setup } from './connector-harness';
import { peerId } from './ids';

const answer: PeerSignal = { type: 'answer', sdp: 'v=0 answer' };
const candidate: PeerSignal = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } };

describe('peer connector: connections set up by relayed signals', () => {
  it(`answers relayed offers of at most ${MAX_RELAYED_PENDING_PER_NEIGHBOUR} pending peers per relaying neighbour, refusing and counting the next`, () => {
    const t = setup(peerId(5));
    t.welcome([]);
    for (let i = 0; i <= MAX_RELAYED_PENDING_PER_NEIGHBOUR; i++) {
      t.meshEvents.emit('relay-signal', { from: peerId(100 + i), data: offer, publicKey: KEY, via: peerId(7) });
    }
    expect(t.connections).toHaveLength(MAX_RELAYED_PENDING_PER_NEIGHBOUR);
    expect(t.connector.pendingRelayed()).toBe(MAX_RELAYED_PENDING_PER_NEIGHBOUR);
    expect(t.connector.refusedRelayedSignals()).toBe(1);
    // Another neighbour has its own allowance.
    t.meshEvents.emit('relay-signal', { from: peerId(200), data: offer, publicKey: KEY, via: peerId(8) });
    expect(t.connections).toHaveLength(MAX_RELAYED_PENDING_PER_NEIGHBOUR + 1);
  });

  it(`keeps at most ${MAX_RELAYED_PENDING} relayed connections pending in all, however many neighbours relay`, () => {
    const t = setup(peerId(5));
    t.welcome([]);
    for (let i = 0; i <= MAX_RELAYED_PENDING; i++) {
      t.meshEvents.emit('relay-signal', { from: peerId(100 + i), data: offer, publicKey: KEY, via: peerId(10 + i) });
    }
    expect(t.connections).toHaveLength(MAX_RELAYED_PENDING);
    expect(t.connector.refusedRelayedSignals()).toBe(1);
  });

  it('destroys and forgets a relayed connection that has not opened in time, freeing its slot', () => {
    const t = setup(peerId(5), true, { relayedConnectTimeoutMs: 8_000, maxRelayedPendingPerNeighbour: 1 });
    t.welcome([]);
    t.meshEvents.emit('relay-signal', { from: peerId(100), data: offer, publicKey: KEY, via: peerId(7) });
    t.meshEvents.emit('relay-signal', { from: peerId(101), data: offer, publicKey: KEY, via: peerId(7) });
    expect(t.connections).toHaveLength(1);
    t.clock.advance(7_999);
    expect(t.connections[0]?.destroyed).toBe(false);
    t.clock.advance(1);
    expect(t.connections[0]?.destroyed).toBe(true);
    expect(t.connector.pendingRelayed()).toBe(0);
    t.meshEvents.emit('relay-signal', { from: peerId(101), data: offer, publicKey: KEY, via: peerId(7) });
    expect(t.connections).toHaveLength(2);
  });

  it('never lets a relayed offer or answer touch an open connection to the same peer', () => {
    const t = setup(peerId(5));
    t.welcome([]);
    t.signaling.emit('signal', { from: peerId(2), data: offer });
    t.connections[0]?.connect();
    for (const data of [offer, answer, candidate]) t.meshEvents.emit('relay-signal', { from: peerId(2), data, publicKey: KEY, via: peerId(7) });
    expect(t.connections).toHaveLength(1);
    expect(t.connections[0]?.destroyed).toBe(false);
    expect(t.connections[0]?.received).toEqual([offer]);
    expect(t.connector.linkedPeerIds()).toEqual([peerId(2)]);
    expect(t.connector.refusedRelayedSignals()).toBe(3);
  });

  it('leaves an attempt the signal server is carrying to the server', () => {
    const t = setup(peerId(5));
    t.welcome([peerId(7)]);
    t.meshEvents.emit('relay-signal', { from: peerId(7), data: answer, publicKey: KEY, via: peerId(8) });
    expect(t.connections[0]?.received).toEqual([]);
    expect(t.connector.refusedRelayedSignals()).toBe(1);
  });

  it('takes a relayed answer for a server-signalled attempt once its own offer had to go through the mesh', () => {
    const t = setup(peerId(1), false);
    t.welcome([peerId(2)]);
    t.connections[0]?.emitSignal(offer);
    expect(t.relayed).toEqual([{ to: peerId(2), data: offer }]);
    t.meshEvents.emit('relay-signal', { from: peerId(2), data: answer, publicKey: KEY, via: peerId(7) });
    expect(t.connections[0]?.received).toEqual([answer]);
  });

  it('hands the mesh the key the relayed signals were signed with, and refuses a signal under another key', () => {
    const t = setup(peerId(5));
    t.welcome([]);
    t.meshEvents.emit('relay-signal', { from: peerId(9), data: offer, publicKey: KEY, via: peerId(7) });
    t.meshEvents.emit('relay-signal', { from: peerId(9), data: candidate, publicKey: 'another-key', via: peerId(7) });
    t.meshEvents.emit('relay-signal', { from: peerId(9), data: offer, publicKey: 'another-key', via: peerId(7) });
    expect(t.connections).toHaveLength(1);
    expect(t.connections[0]?.received).toEqual([offer]);
    expect(t.connector.refusedRelayedSignals()).toBe(2);
    t.connections[0]?.connect();
    expect(t.links).toEqual([peerId(9)]);
    expect(t.linkKeys).toEqual([KEY]);
  });
});
