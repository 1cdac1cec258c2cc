import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../src/crypto/web-crypto';
import { type DataPeer, peerLinkOf } from '../src/link/peer-link-adapter';

interface FakePeer extends DataPeer {
  connected: boolean;
  destroyed: boolean;
  bufferSize: number;
  sent: string[];
  throwOnSend: boolean;
  emit(event: string, payload: unknown): void;
}

function fakePeer(): FakePeer {
  const listeners = new Map<string, Array<(payload: unknown) => void>>();
  const peer: FakePeer = {
    connected: true,
    destroyed: false,
    bufferSize: 0,
    sent: [],
    throwOnSend: false,
    send(data: string) {
      if (peer.throwOnSend) throw new Error('InvalidStateError');
      peer.sent.push(data);
    },
    destroy() {
      if (peer.destroyed) return;
      peer.destroyed = true;
      peer.connected = false;
      peer.emit('close', undefined);
    },
    on(event: 'data' | 'close' | 'error', listener: (payload: unknown) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return peer;
    },
    emit(event: string, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
  return peer;
}

/** Lets queued microtasks (the adapter's close handlers) run. */
const settle = () => new Promise((resolve) => resolve(undefined)).then(() => undefined);

describe('simple-peer PeerLink adapter', () => {
  it('sends while connected and refuses, without throwing, when closed, full or failing', () => {
    const peer = fakePeer();
    const link = peerLinkOf(peer, 100);
    expect(link.send('a')).toBe(true);
    peer.bufferSize = 101;
    expect(link.send('b')).toBe(false);
    peer.bufferSize = 0;
    peer.throwOnSend = true;
    expect(link.send('c')).toBe(false);
    peer.throwOnSend = false;
    peer.connected = false;
    expect(link.send('d')).toBe(false);
    expect(peer.sent).toEqual(['a']);
  });

  it('hands inbound frames over as text, whether strings or bytes', () => {
    const peer = fakePeer();
    const link = peerLinkOf(peer);
    const frames: string[] = [];
    link.onMessage((frame) => frames.push(frame));
    peer.emit('data', 'plain');
    peer.emit('data', utf8Encode('bytes ✓'));
    peer.emit('data', 42);
    expect(frames).toEqual(['plain', 'bytes ✓']);
  });

  it('runs close handlers once, asynchronously, however it closes', async () => {
    const peer = fakePeer();
    const link = peerLinkOf(peer);
    let closes = 0;
    link.onClose(() => (closes += 1));
    link.close();
    link.close();
    expect(closes).toBe(0);
    await settle();
    expect(closes).toBe(1);
    expect(link.send('late')).toBe(false);

    const failing = fakePeer();
    const other = peerLinkOf(failing);
    let otherCloses = 0;
    other.onClose(() => (otherCloses += 1));
    failing.emit('error', new Error('ERR_DATA_CHANNEL'));
    failing.emit('close', undefined);
    await settle();
    expect(otherCloses).toBe(1);
  });
});
