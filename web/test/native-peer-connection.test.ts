import type { PeerSignal } from '@shoal/shared/link';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNativePeerConnection } from '../src/net/native-peer-connection';

/** The part of RTCDataChannel the connection touches. */
class FakeChannel {
  readyState: RTCDataChannelState = 'connecting';
  binaryType = 'blob';
  bufferedAmount = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 'closed';
  }
  open() {
    this.readyState = 'open';
    this.onopen?.();
  }
}

/** The part of RTCPeerConnection the connection touches; every call is logged in order. */
class FakePeerConnection {
  static created: FakePeerConnection[] = [];
  calls: string[] = [];
  channel: FakeChannel | null = null;
  localDescription: { type: string; sdp: string } | null = null;
  iceGatheringState: RTCIceGatheringState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  onicecandidate: ((event: { candidate: { candidate: string; sdpMLineIndex: number; sdpMid: string } | null }) => void) | null = null;
  onicegatheringstatechange: (() => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  ondatachannel: ((event: { channel: FakeChannel }) => void) | null = null;
  constructor(readonly config: unknown) {
    FakePeerConnection.created.push(this);
  }
  createDataChannel() {
    this.channel = new FakeChannel();
    return this.channel;
  }
  async createOffer() {
    this.calls.push('createOffer');
    return { type: 'offer', sdp: 'offer-sdp' };
  }
  async createAnswer() {
    this.calls.push('createAnswer');
    return { type: 'answer', sdp: 'answer-sdp' };
  }
  async setLocalDescription(description: { type: string; sdp: string }) {
    this.calls.push(`local ${description.type}`);
    this.localDescription = description;
  }
  async setRemoteDescription(description: { type: string }) {
    // A remote description takes a while: a candidate behind it must wait.
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.calls.push(`remote ${description.type}`);
  }
  async addIceCandidate(candidate: { candidate: string }) {
    this.calls.push(`candidate ${candidate.candidate}`);
  }
  close() {
    this.calls.push('close');
  }
  gather(candidates: string[]) {
    this.iceGatheringState = 'gathering';
    for (const candidate of candidates) this.onicecandidate?.({ candidate: { candidate, sdpMLineIndex: 0, sdpMid: '0' } });
    this.iceGatheringState = 'complete';
    this.onicegatheringstatechange?.();
    this.onicecandidate?.({ candidate: null });
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('native peer connection', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    FakePeerConnection.created = [];
  });

  it('offers at once, trickles candidates in simple-peer format, and applies remote signals in arrival order', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const connection = createNativePeerConnection({ initiator: true, iceServers: [] });
    const out: PeerSignal[] = [];
    connection.onSignal((signal) => out.push(signal));
    const pc = FakePeerConnection.created[0];
    await settle();
    pc?.gather(['c1']);
    expect(out).toEqual([
      { type: 'offer', sdp: 'offer-sdp' },
      { type: 'candidate', candidate: { candidate: 'c1', sdpMLineIndex: 0, sdpMid: '0' } },
    ]);
    connection.signal({ type: 'answer', sdp: 'answer-sdp' });
    connection.signal({ type: 'candidate', candidate: { candidate: 'r1' } });
    await settle();
    expect(pc?.calls).toEqual(['createOffer', 'local offer', 'remote answer', 'candidate r1']);
  });

  it('without trickle, sends one description holding every candidate once gathering is complete', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const connection = createNativePeerConnection({ initiator: false, iceServers: [], trickle: false });
    const out: PeerSignal[] = [];
    connection.onSignal((signal) => out.push(signal));
    connection.signal({ type: 'offer', sdp: 'offer-sdp' });
    await settle();
    expect(out).toEqual([]);
    FakePeerConnection.created[0]?.gather(['c1', 'c2']);
    expect(out).toEqual([{ type: 'answer', sdp: 'answer-sdp' }]);
  });

  it('yields a link when the channel opens, and closes once whichever side ends it', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const connection = createNativePeerConnection({ initiator: true, iceServers: [] });
    const frames: string[] = [];
    let closes = 0;
    connection.onClose(() => closes++);
    connection.onConnect((link) => {
      link.onMessage((frame) => frames.push(frame));
      expect(link.send('hello')).toBe(true);
    });
    const pc = FakePeerConnection.created[0];
    pc?.channel?.open();
    pc?.channel?.onmessage?.({ data: 'hi' });
    pc?.channel?.onmessage?.({ data: new TextEncoder().encode('bytes').buffer });
    expect(frames).toEqual(['hi', 'bytes']);
    expect(pc?.channel?.sent).toEqual(['hello']);
    pc?.channel?.onclose?.();
    connection.destroy();
    await settle();
    expect(closes).toBe(1);
    expect(pc?.calls.filter((call) => call === 'close')).toEqual(['close']);
  });

  it('ends the attempt when a remote description is refused', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const connection = createNativePeerConnection({ initiator: false, iceServers: [] });
    let closed = false;
    connection.onClose(() => (closed = true));
    const pc = FakePeerConnection.created[0];
    if (pc) pc.setRemoteDescription = () => Promise.reject(new Error('bad sdp'));
    connection.signal({ type: 'offer', sdp: 'garbage' });
    await settle();
    expect(closed).toBe(true);
  });
});
