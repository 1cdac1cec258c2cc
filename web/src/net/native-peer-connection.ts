import { type CreatePeerConnection, type DataPeer, type PeerConnection, type PeerSignal, peerLinkOf } from '@shoal/shared/link';

/**
 * Without trickle (manual invites), the offer or answer goes out this long after the first candidate
 * even if gathering never reports complete (an unreachable STUN server holds it open): simple-peer's
 * default, which the invite flow was built on. Default 5,000 ms.
 */
export const ICE_COMPLETE_TIMEOUT_MS = 5_000;

/**
 * Remote candidates held while no remote description is applied yet; past this the oldest is dropped.
 * Signals can overtake each other (one relayed through the mesh, the next through the server), and the
 * browser refuses a candidate before its description, so they wait as simple-peer's `_pendingCandidates`
 * did. A real data-channel attempt trickles a handful; the bound only stops a peer that floods. Default 64.
 */
export const MAX_PENDING_REMOTE_CANDIDATES = 64;

/**
 * Creates a data-only WebRTC connection on the browser's own RTCPeerConnection, speaking simple-peer's
 * signal format (`{type: 'offer'|'answer', sdp}`, `{type: 'candidate', candidate}`), so browsers link
 * with Node peers that run simple-peer. The browser needs nothing of simple-peer's: no setTimeout
 * before the offer, no getStats round before 'connect', no Node stream per message, and 90 KB less
 * JavaScript to load in every tab (issue 14: formation at the browser's own speed).
 */
export const createNativePeerConnection: CreatePeerConnection = (options) => {
  const pc = new RTCPeerConnection({ iceServers: options.iceServers });
  const trickle = options.trickle ?? true;
  const signalHandlers: Array<(data: PeerSignal) => void> = [];
  const connectHandlers: Array<() => void> = [];
  const closeHandlers: Array<() => void> = [];
  const dataListeners: Array<(payload: unknown) => void> = [];
  const endListeners: Array<(payload: unknown) => void> = [];
  let channel: RTCDataChannel | null = null;
  let destroyed = false;
  let connected = false;
  let iceTimer: ReturnType<typeof setTimeout> | null = null;
  /** Without trickle the description goes out once: on gathering complete or on the timeout, first wins. */
  let gatheredSent = false;
  /** Remote signals are applied one after another: a candidate must not overtake its description. */
  let remoteQueue: Promise<void> = Promise.resolve();
  /** Remote candidates that came before any remote description, oldest first (≤ MAX_PENDING_REMOTE_CANDIDATES). */
  let pendingRemote: RTCIceCandidateInit[] = [];
  let remoteDescribed = false;
  /**
   * Local candidates gathered before our offer or answer went out. Chromium can fire `icecandidate`
   * before the setLocalDescription promise continues, and a candidate that reaches the other side
   * before its description is refused there. Null once the description is out: candidates go at once.
   * Unbounded: they come from this browser's own interfaces, not from the network.
   */
  let heldLocal: PeerSignal[] | null = [];

  const emitSignal = (data: PeerSignal) => {
    if (!destroyed) for (const handler of signalHandlers) handler(data);
  };
  const emitDescription = () => {
    const description = pc.localDescription;
    if (!description || (description.type !== 'offer' && description.type !== 'answer')) return;
    emitSignal({ type: description.type, sdp: description.sdp });
    const held = heldLocal ?? [];
    heldLocal = null;
    for (const candidate of held) emitSignal(candidate);
  };

  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    connected = false;
    if (iceTimer !== null) clearTimeout(iceTimer);
    // Handlers off first: a closed RTCPeerConnection counts against Chromium's cap until collected, and
    // its own handlers would keep this closure (and so it) referenced.
    pc.onicecandidate = pc.onicegatheringstatechange = pc.onconnectionstatechange = pc.ondatachannel = null;
    if (channel) channel.onopen = channel.onclose = channel.onmessage = null;
    channel?.close();
    channel = null;
    pc.close();
    // Asynchronously, as simple-peer did: callers may destroy from inside their own handlers.
    queueMicrotask(() => {
      for (const listener of endListeners) listener(undefined);
      for (const handler of closeHandlers) handler();
    });
  };

  const emitGathered = () => {
    if (gatheredSent) return;
    gatheredSent = true;
    if (iceTimer !== null) clearTimeout(iceTimer);
    emitDescription();
  };
  const describeLocal = async (description: Promise<RTCSessionDescriptionInit>) => {
    await pc.setLocalDescription(await description);
    if (trickle) emitDescription();
    else if (pc.iceGatheringState === 'complete') emitGathered();
  };

  const useChannel = (opened: RTCDataChannel) => {
    channel = opened;
    opened.binaryType = 'arraybuffer';
    opened.onopen = () => {
      if (destroyed || connected) return;
      connected = true;
      for (const handler of connectHandlers) handler();
    };
    opened.onclose = destroy;
    opened.onmessage = (event: MessageEvent<unknown>) => {
      const data = event.data instanceof ArrayBuffer ? new Uint8Array(event.data) : event.data;
      for (const listener of dataListeners) listener(data);
    };
  };

  pc.onicecandidate = (event) => {
    if (trickle) {
      if (event.candidate) {
        const { candidate, sdpMLineIndex, sdpMid } = event.candidate;
        const signal: PeerSignal = { type: 'candidate', candidate: { candidate, sdpMLineIndex, sdpMid } };
        if (heldLocal) heldLocal.push(signal);
        else emitSignal(signal);
      }
      return;
    }
    if (event.candidate && iceTimer === null) iceTimer = setTimeout(emitGathered, ICE_COMPLETE_TIMEOUT_MS);
  };
  pc.onicegatheringstatechange = () => {
    if (!trickle && pc.iceGatheringState === 'complete') emitGathered();
  };
  pc.onconnectionstatechange = () => {
    if (pc.connectionState === 'failed' || pc.connectionState === 'closed') destroy();
  };
  if (options.initiator) {
    useChannel(pc.createDataChannel('shoal'));
    remoteQueue = describeLocal(pc.createOffer()).catch(destroy);
  } else {
    pc.ondatachannel = (event) => useChannel(event.channel);
  }

  /**
   * A candidate the browser refuses (malformed, or left over from an earlier attempt) costs only itself,
   * as in simple-peer, which only warned: ending the attempt here would leave the other side waiting out
   * its connect timeout for an answer or a channel that never comes.
   */
  const addCandidate = (candidate: RTCIceCandidateInit) =>
    pc.addIceCandidate(candidate).catch((error: unknown) => {
      if (!destroyed) console.warn('ICE candidate refused:', error);
    });
  const applyRemote = async (data: PeerSignal) => {
    if (destroyed) return;
    if (data.type === 'candidate') {
      if (remoteDescribed) return addCandidate(data.candidate);
      if (pendingRemote.push(data.candidate) > MAX_PENDING_REMOTE_CANDIDATES) pendingRemote.shift();
      return;
    }
    // A refused description does end the attempt (signal's catch): nothing later could apply to it.
    await pc.setRemoteDescription(data);
    remoteDescribed = true;
    if (data.type === 'offer') await describeLocal(pc.createAnswer());
    // After our answer, as candidates that arrive in order are: they were held for this description.
    const held = pendingRemote;
    pendingRemote = [];
    for (const candidate of held) await addCandidate(candidate);
  };

  const dataPeer: DataPeer = {
    get connected() {
      return connected && channel?.readyState === 'open';
    },
    get destroyed() {
      return destroyed;
    },
    get bufferSize() {
      return channel?.bufferedAmount ?? 0;
    },
    send(data) {
      if (typeof data === 'string') channel?.send(data);
      // The DOM typing wants a view over a plain ArrayBuffer; the links' frames never sit on a SharedArrayBuffer.
      else channel?.send(data as Uint8Array<ArrayBuffer>);
    },
    destroy,
    on(event, listener) {
      (event === 'data' ? dataListeners : endListeners).push(listener);
    },
  };

  const connection: PeerConnection = {
    signal(data) {
      // A bad description ends the attempt, as simple-peer's ERR_SIGNALING did (a bad candidate does not: addCandidate).
      remoteQueue = remoteQueue.then(() => applyRemote(data)).catch(destroy);
    },
    onSignal(handler) {
      signalHandlers.push(handler);
    },
    onConnect(handler) {
      connectHandlers.push(() => handler(peerLinkOf(dataPeer)));
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
    destroy,
  };
  return connection;
};
