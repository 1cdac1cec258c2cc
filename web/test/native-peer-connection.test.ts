import type { PeerSignal } from '@shoal/shared/link';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_PENDING_REMOTE_CANDIDATES, createNativePeerConnection } from '../src/net/native-peer-connection';

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
  remoteDescription: { type: string } | null = null;
  /** Candidates gathered while setLocalDescription is still pending, as Chromium may report them. */
  gatherDuringLocal: string[] = [];
  /** Candidate strings addIceCandidate refuses even with a remote description. */
  refused = new Set<string>();
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
    for (const candidate of this.gatherDuringLocal) this.onicecandidate?.({ candidate: { candidate, sdpMLineIndex: 0, sdpMid: '0' } });
  }
  async setRemoteDescription(description: { type: string }) {
    // A remote description takes a while: a candidate behind it must wait.
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.calls.push(`remote ${description.type}`);
    this.remoteDescription = description;
  }
  /** Refuses as the browser does: before any remote description, and for a candidate it cannot use. */
  async addIceCandidate(candidate: { candidate: string }) {
    if (!this.remoteDescription) throw new DOMException('The remote description was null', 'InvalidStateError');
    if (this.refused.has(candidate.candidate)) throw new DOMException('Error processing ICE candidate', 'OperationError');
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
const candidate = (name: string): PeerSignal => ({ type: 'candidate', candidate: { candidate: name, sdpMLineIndex: 0, sdpMid: '0' } });
/** A connection over a fresh fake, with its outbound signals and whether it closed. */
const open = (initiator: boolean) => {
  const connection = createNativePeerConnection({ initiator, iceServers: [] });
  const pc = FakePeerConnection.created.at(-1);
  if (!pc) throw new Error('no RTCPeerConnection created');
  const out: PeerSignal[] = [];
  const state = { closed: false };
  connection.onSignal((signal) => out.push(signal));
  connection.onClose(() => (state.closed = true));
  return { connection, pc, out, state };
};

describe('native peer connection', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
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

  it('holds a candidate that arrives before the offer and applies it after the answer, instead of ending the attempt', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const { connection, pc, out, state } = open(false);
    connection.signal(candidate('r1'));
    connection.signal({ type: 'offer', sdp: 'offer-sdp' });
    connection.signal(candidate('r2'));
    await settle();
    expect(state.closed).toBe(false);
    expect(pc.calls).toEqual(['remote offer', 'createAnswer', 'local answer', 'candidate r1', 'candidate r2']);
    expect(out).toEqual([{ type: 'answer', sdp: 'answer-sdp' }]);
  });

  it('holds a candidate that overtakes the answer until the answer is applied', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const { connection, pc, state } = open(true);
    connection.signal(candidate('r1'));
    connection.signal({ type: 'answer', sdp: 'answer-sdp' });
    await settle();
    expect(state.closed).toBe(false);
    expect(pc.calls).toEqual(['createOffer', 'local offer', 'remote answer', 'candidate r1']);
  });

  it('sends local candidates gathered before setLocalDescription resolves after the offer', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const { pc, out } = open(true);
    pc.gatherDuringLocal = ['c1', 'c2'];
    await settle();
    pc.gather(['c3']);
    expect(out).toEqual([{ type: 'offer', sdp: 'offer-sdp' }, candidate('c1'), candidate('c2'), candidate('c3')]);
  });

  it('sends local candidates gathered before setLocalDescription resolves after the answer', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const { connection, pc, out } = open(false);
    pc.gatherDuringLocal = ['c1'];
    connection.signal({ type: 'offer', sdp: 'offer-sdp' });
    await settle();
    expect(out).toEqual([{ type: 'answer', sdp: 'answer-sdp' }, candidate('c1')]);
  });

  it(`holds up to ${MAX_PENDING_REMOTE_CANDIDATES} early candidates, all applied in order`, async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const { connection, pc } = open(false);
    const names = Array.from({ length: MAX_PENDING_REMOTE_CANDIDATES }, (_, i) => `r${i + 1}`);
    for (const name of names) connection.signal(candidate(name));
    connection.signal({ type: 'offer', sdp: 'offer-sdp' });
    await settle();
    expect(pc.calls.filter((call) => call.startsWith('candidate '))).toEqual(names.map((name) => `candidate ${name}`));
  });

  it(`drops the oldest early candidate past ${MAX_PENDING_REMOTE_CANDIDATES}`, async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const { connection, pc } = open(false);
    const names = Array.from({ length: MAX_PENDING_REMOTE_CANDIDATES + 1 }, (_, i) => `r${i + 1}`);
    for (const name of names) connection.signal(candidate(name));
    connection.signal({ type: 'offer', sdp: 'offer-sdp' });
    await settle();
    expect(pc.calls.filter((call) => call.startsWith('candidate '))).toEqual(names.slice(1).map((name) => `candidate ${name}`));
  });

  it('keeps the attempt when the browser refuses a single candidate, and applies the next', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { connection, pc, state } = open(false);
    pc.refused.add('bad');
    connection.signal(candidate('early-bad'));
    pc.refused.add('early-bad');
    connection.signal({ type: 'offer', sdp: 'offer-sdp' });
    connection.signal(candidate('bad'));
    connection.signal(candidate('good'));
    await settle();
    expect(state.closed).toBe(false);
    expect(pc.calls).toEqual(['remote offer', 'createAnswer', 'local answer', 'candidate good']);
    expect(warn).toHaveBeenCalledTimes(2);
    // ...and it still links: the channel opens on the connection the refused candidates left alone.
    let linked = false;
    connection.onConnect(() => (linked = true));
    const channel = new FakeChannel();
    pc.ondatachannel?.({ channel });
    channel.open();
    expect(linked).toBe(true);
  });

  it('ends the attempt when the answer is refused, even with candidates held for it', async () => {
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    const { connection, pc, state } = open(true);
    pc.setRemoteDescription = () => Promise.reject(new DOMException('bad sdp', 'OperationError'));
    connection.signal(candidate('r1'));
    connection.signal({ type: 'answer', sdp: 'garbage' });
    connection.signal(candidate('r2'));
    await settle();
    expect(state.closed).toBe(true);
    expect(pc.calls).toEqual(['createOffer', 'local offer', 'close']);
  });
});
