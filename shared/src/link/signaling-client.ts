import { type ReadonlySignal, signal } from '@preact/signals-core';
import type { PeerId } from '../ids';
import type { Clock } from '../mesh/mesh-api';
import { type Emitter, createEmitter } from '../mesh/typed-emitter';
import { parseServerMessage } from '../protocol/parse';
import type { ErrorMessage, RoomName, WelcomeMessage } from '../protocol/signal-messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from './backoff';
import type { PeerSignal } from './signal-data';
import type { OpenSocket, SocketLike } from './socket';

export type SignalingStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface SignalingEvents {
  welcome: WelcomeMessage;
  'peer-joined': PeerId;
  'peer-left': PeerId;
  /** A WebRTC signal from another peer; `data` is still unvalidated (the connector checks it). */
  signal: { from: PeerId; data: unknown };
  error: ErrorMessage;
}

export interface SignalingOptions {
  /** Reconnect delays. Default DEFAULT_BACKOFF (0.5 s doubling to 15 s, jittered). */
  backoff: BackoffOptions;
  /** A server that has not welcomed us this long after we dialled counts as down, ms. Default 5,000. */
  connectTimeoutMs: number;
}

export interface SignalingClientDeps {
  /** Signal servers in order of preference (see signalUrls); at least one. */
  urls: string[];
  room: RoomName;
  peerId: PeerId;
  openSocket: OpenSocket;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** [0, 1) source for backoff jitter. */
  random: () => number;
  options?: Partial<SignalingOptions>;
}

export interface SignalingClient extends Pick<Emitter<SignalingEvents>, 'on'> {
  readonly status: ReadonlySignal<SignalingStatus>;
  /** The server currently in use (or being dialled). */
  readonly url: ReadonlySignal<string>;
  start(): void;
  /** Relays a signal to a peer of the room; false when not connected (the frame is dropped). */
  sendSignal(to: PeerId, data: PeerSignal): boolean;
  /** Frames the server sent that failed to parse: ignored, counted. */
  invalidFrames(): number;
  /** Leaves the room and stops reconnecting. */
  close(): void;
}

/**
 * Connects to the first signal server that answers, joins the room, turns frames into typed events and
 * reconnects with capped, jittered exponential backoff. A server that never welcomed us is skipped for
 * the next one in the list (failover); one that dropped us after a welcome is retried first.
 */
export function createSignalingClient(deps: SignalingClientDeps): SignalingClient {
  const options: SignalingOptions = { backoff: DEFAULT_BACKOFF, connectTimeoutMs: 5_000, ...deps.options };
  const urls = deps.urls.length > 0 ? deps.urls : ['ws://localhost/'];
  const emitter = createEmitter<SignalingEvents>();
  const status = signal<SignalingStatus>('connecting');
  let index = 0;
  const url = signal(urls[0] ?? '');
  let attempt = 0;
  let invalid = 0;
  let socket: SocketLike | null = null;
  let welcomed = false;
  let stopped = false;
  let retryTimer: unknown = null;
  let connectTimer: unknown = null;

  const send = (frame: object): boolean => {
    if (!socket || !welcomed) return false;
    socket.send(JSON.stringify(frame));
    return true;
  };

  const connect = () => {
    retryTimer = null;
    if (stopped) return;
    welcomed = false;
    url.value = urls[index] ?? '';
    const current = deps.openSocket(url.value, {
      onOpen() {
        if (current !== socket) return;
        current.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, room: deps.room, peerId: deps.peerId }));
      },
      onMessage(data) {
        if (current !== socket) return;
        onFrame(data);
      },
      onClose() {
        if (current !== socket) return;
        onDisconnect();
      },
    });
    socket = current;
    connectTimer = deps.clock.setTimeout(() => {
      connectTimer = null;
      if (current === socket && !welcomed) {
        // Disconnect first: it detaches `current`, so its own close callback is ignored (no double retry).
        onDisconnect();
        current.close();
      }
    }, options.connectTimeoutMs);
  };

  const onFrame = (data: unknown) => {
    const parsed = typeof data === 'string' ? parseServerMessage(data) : null;
    if (!parsed?.ok) {
      invalid += 1;
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'welcome':
        welcomed = true;
        attempt = 0;
        clearConnectTimer();
        status.value = 'connected';
        emitter.emit('welcome', message);
        return;
      case 'peer-joined':
        emitter.emit('peer-joined', message.peerId);
        return;
      case 'peer-left':
        emitter.emit('peer-left', message.peerId);
        return;
      case 'signal':
        emitter.emit('signal', { from: message.from, data: message.data });
        return;
      case 'error':
        emitter.emit('error', message);
        return;
    }
  };

  const onDisconnect = () => {
    clearConnectTimer();
    socket = null;
    if (stopped) return;
    // Fail over only from a server that never let us in; a working one that dropped us gets a retry.
    if (!welcomed) index = (index + 1) % urls.length;
    welcomed = false;
    status.value = 'reconnecting';
    retryTimer = deps.clock.setTimeout(connect, backoffDelay(attempt, deps.random, options.backoff));
    attempt += 1;
  };

  const clearConnectTimer = () => {
    if (connectTimer !== null) deps.clock.clearTimeout(connectTimer);
    connectTimer = null;
  };

  return {
    status,
    url,
    on: emitter.on,
    start() {
      if (socket || retryTimer !== null || stopped) return;
      status.value = 'connecting';
      connect();
    },
    sendSignal(to, data) {
      return send({ type: 'signal', to, data });
    },
    invalidFrames: () => invalid,
    close() {
      if (stopped) return;
      stopped = true;
      send({ type: 'leave' });
      clearConnectTimer();
      if (retryTimer !== null) deps.clock.clearTimeout(retryTimer);
      retryTimer = null;
      const current = socket;
      socket = null;
      current?.close();
      status.value = 'closed';
    },
  };
}
