import { type ErrorCode, type PeerId, type RoomName, parseClientMessage } from '@shoal/shared';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Config } from './config';
import { errorFrame, peerJoinedFrame, peerLeftFrame, rewriteSignal, textFrameHeader, welcomeFrame } from './frames';
import { type Action, CLOSE, type Phase, type Reject, handleMessage, reject } from './handle-message';
import type { Log } from './log';
import type { Metrics } from './metrics';
import type { Mailbox, MemberHandle, RoomBus } from './room-bus';

/**
 * Frames to one socket are dropped while it has this much unsent data: a client that stops reading
 * must not make the server buffer without bound what its room keeps sending it.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface ConnectionDeps {
  config: Config;
  bus: RoomBus;
  metrics: Metrics;
  log: Log;
  /** Milliseconds clock for the rate limit. */
  now: () => number;
}

/** Per-socket state. It is the socket's Mailbox too, so the room bus needs no closure per member. */
interface Conn extends Mailbox {
  readonly ws: WebSocket;
  /** The socket under `ws`, corked while frames to it are batched (see `deliver`). */
  readonly socket: Duplex;
  corked: boolean;
  readonly ip: string;
  phase: Phase;
  membership: MemberHandle | null;
  tokens: number;
  refilledAt: number;
  /** Frames dropped in a row by the rate limit. */
  limited: number;
  /** Malformed or out-of-protocol frames so far. */
  strikes: number;
  /** Answered the last ping (or sent anything) since the previous sweep. */
  alive: boolean;
  closed: boolean;
  joinTimer: ReturnType<typeof setTimeout> | null;
}

export interface Connections {
  accept(ws: WebSocket, socket: Duplex, ip: string): void;
  /** One heartbeat sweep over every socket: terminate the silent, ping the rest. */
  sweep(): void;
  /** Closes every socket with `code`; resolves when all have closed. */
  closeAll(code: number, reason: ErrorCode): Promise<void>;
  /** Forcibly terminates every socket still open. */
  terminateAll(): void;
  readonly size: number;
}

export function createConnections(deps: ConnectionDeps): Connections {
  const { config, bus, metrics, log, now } = deps;
  // Keyed by socket: the ws listeners below are shared functions (`this` is the socket), not closures.
  const conns = new Map<WebSocket, Conn>();
  const perIp = new Map<string, number>();
  const idle = new Set<() => void>();
  const corked: Conn[] = [];

  function uncorkAll(): void {
    for (const conn of corked) {
      conn.corked = false;
      conn.socket.uncork();
    }
    corked.length = 0;
  }

  /**
   * Conn's Mailbox.send, shared by every Conn (called with `this` = the addressee). The socket stays
   * corked until the end of this event-loop turn, so every frame relayed to it in one turn leaves in
   * a single writev: the syscall per frame was the largest cost of relaying.
   */
  function deliver(this: Conn, frame: string | Buffer): void {
    const ws = this.ws;
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      metrics.framesDropped++;
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      if (corked.push(this) === 1) setImmediate(uncorkAll);
    }
    // Written past ws's Sender, which is safe here: without compression the Sender queues nothing and
    // writes each frame synchronously, so whole frames from both stay in order on the socket (which
    // is corked: header and payload leave in the same writev).
    const payload = typeof frame === 'string' ? Buffer.from(frame) : frame;
    this.socket.write(textFrameHeader(payload.length));
    this.socket.write(payload);
  }

  function sendError(conn: Conn, r: Reject): void {
    metrics.countError(r.code);
    if (!conn.closed) conn.ws.send(errorFrame(r.code, r.message, r.ref));
    if (r.close !== undefined) return close(conn, r.close, r.code);
    if (r.strike && ++conn.strikes >= config.maxBadFrames) close(conn, CLOSE.policy, 'BAD_SHAPE');
  }

  function close(conn: Conn, code: number, reason: string): void {
    if (conn.closed) return;
    conn.ws.close(code, reason);
  }

  function armJoinTimer(conn: Conn): void {
    conn.joinTimer = setTimeout(() => {
      conn.joinTimer = null;
      if (conn.phase === 'joined') return;
      sendError(conn, { ...reject('JOIN_TIMEOUT', `no join within ${config.joinTimeoutMs} ms`, undefined, false), close: CLOSE.policy });
    }, config.joinTimeoutMs);
  }

  function leaveRoom(conn: Conn): void {
    const { membership } = conn;
    conn.membership = null;
    conn.phase = 'idle';
    if (!membership) return;
    bus.broadcast(membership, peerLeftFrame(membership.peerId));
    bus.leave(membership);
  }

  async function join(conn: Conn, room: RoomName, peerId: PeerId): Promise<void> {
    conn.phase = 'joining';
    const outcome = await bus.join(room, peerId, conn, config.peerListLimit);
    if (!outcome.ok) {
      conn.phase = 'idle';
      const message = outcome.code === 'ROOM_FULL' ? `room holds at most ${config.maxPeersPerRoom} peers` : 'that peer id is already in the room';
      return sendError(conn, reject(outcome.code, message, 'join', false));
    }
    if (conn.closed) return bus.leave(outcome.member);
    if (conn.joinTimer) clearTimeout(conn.joinTimer);
    conn.joinTimer = null;
    conn.phase = 'joined';
    conn.membership = outcome.member;
    conn.ws.send(welcomeFrame(room, peerId, outcome.peers, config.iceServers));
    bus.broadcast(outcome.member, peerJoinedFrame(peerId));
  }

  function apply(conn: Conn, action: Action): void {
    switch (action.kind) {
      case 'reject':
        return sendError(conn, action);
      case 'relay':
        if (conn.membership && bus.sendTo(conn.membership, action.to, action.frame)) {
          metrics.framesRelayed++;
          return;
        }
        return sendError(conn, reject('UNKNOWN_PEER', 'no such peer in this room', 'signal', false));
      case 'leave':
        leaveRoom(conn);
        return armJoinTimer(conn);
      case 'join':
        join(conn, action.room, action.peerId).catch((err: unknown) => {
          log.error({ err }, 'room bus join failed');
          close(conn, 1011, 'INTERNAL');
        });
    }
  }

  /** Token bucket: true when the frame may be processed. */
  function admit(conn: Conn): boolean {
    const t = now();
    conn.tokens = Math.min(config.rateLimitBurst, conn.tokens + ((t - conn.refilledAt) * config.rateLimitPerSec) / 1000);
    conn.refilledAt = t;
    if (conn.tokens >= 1) {
      conn.tokens -= 1;
      conn.limited = 0;
      return true;
    }
    // One error frame per streak, not one per dropped frame: the answer must not amplify a flood.
    if (++conn.limited === 1) sendError(conn, reject('RATE_LIMITED', `at most ${config.rateLimitPerSec} frames/s`, undefined, false));
    else metrics.countError('RATE_LIMITED');
    if (conn.limited >= config.maxRateLimitedFrames) close(conn, CLOSE.policy, 'RATE_LIMITED');
    return false;
  }

  function onFrame(conn: Conn, data: Buffer, isBinary: boolean): void {
    metrics.framesReceived++;
    conn.alive = true;
    // Frames still arriving while our close handshake runs are ignored.
    if (conn.ws.readyState !== conn.ws.OPEN || !admit(conn)) return;
    if (isBinary) return sendError(conn, reject('BINARY_FRAME', 'frames must be JSON text', undefined, true));
    // Fast path: a canonical signal to a member of the room is relayed without building objects.
    const self = conn.membership;
    if (self) {
      const fast = rewriteSignal(data, self.peerId);
      if (fast && bus.sendTo(self, fast.to, fast.relayed)) {
        metrics.framesRelayed++;
        return;
      }
    }
    const text = data.toString();
    const parsed = parseClientMessage(text);
    if (!parsed.ok) return sendError(conn, reject(parsed.error.code, parsed.error.message, refOf(text), true));
    apply(conn, handleMessage(conn.phase, self?.peerId ?? null, parsed.value));
  }

  function onClose(conn: Conn, code: number): void {
    conn.closed = true;
    if (conn.joinTimer) clearTimeout(conn.joinTimer);
    conn.joinTimer = null;
    leaveRoom(conn);
    conns.delete(conn.ws);
    const left = (perIp.get(conn.ip) ?? 1) - 1;
    if (left > 0) perIp.set(conn.ip, left);
    else perIp.delete(conn.ip);
    metrics.countClose(code);
    if (conns.size === 0) for (const resolve of idle) resolve();
  }

  function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
    const conn = conns.get(this);
    if (conn) onFrame(conn, data, isBinary);
  }
  function onPong(this: WebSocket): void {
    const conn = conns.get(this);
    if (conn) conn.alive = true;
  }
  function onSocketClose(this: WebSocket, code: number): void {
    const conn = conns.get(this);
    if (conn) onClose(conn, code);
  }
  function onSocketError(this: WebSocket, err: Error & { code?: string }): void {
    // ws closes the socket itself (1009 for an oversize frame, 1002/1007 for protocol errors).
    metrics.countError(err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'TOO_LARGE' : (err.code ?? 'SOCKET_ERROR'));
    log.debug({ err: err.message, code: err.code, ip: conns.get(this)?.ip }, 'socket error');
  }

  return {
    accept(ws, socket, ip) {
      const conn: Conn = {
        ws, socket, corked: false, ip, phase: 'idle', membership: null,
        tokens: config.rateLimitBurst, refilledAt: now(), limited: 0, strikes: 0,
        alive: true, closed: false, joinTimer: null, send: deliver,
      };
      metrics.connectionsAccepted++;
      conns.set(ws, conn);
      const count = (perIp.get(ip) ?? 0) + 1;
      perIp.set(ip, count);
      ws.on('message', onMessage);
      ws.on('pong', onPong);
      ws.on('close', onSocketClose);
      ws.on('error', onSocketError);
      if (config.maxConnectionsPerIp > 0 && count > config.maxConnectionsPerIp) {
        const r = reject('TOO_MANY_CONNECTIONS', `at most ${config.maxConnectionsPerIp} connections per address`, undefined, false);
        return sendError(conn, { ...r, close: CLOSE.tryAgainLater });
      }
      armJoinTimer(conn);
    },
    sweep() {
      for (const conn of conns.values()) {
        if (!conn.alive) {
          // No pong since the last sweep: the peer is gone; 'close' follows and tells its room.
          conn.ws.terminate();
          continue;
        }
        conn.alive = false;
        conn.ws.ping();
      }
    },
    closeAll(code, reason) {
      if (conns.size === 0) return Promise.resolve();
      const done = new Promise<void>((resolve) => idle.add(resolve));
      for (const conn of conns.values()) close(conn, code, reason);
      return done;
    },
    terminateAll() {
      for (const conn of conns.values()) conn.ws.terminate();
    },
    get size() {
      return conns.size;
    },
  };
}

/** The `type` of a frame that failed to parse, when it has a short string one (for `ref`). */
function refOf(text: string): string | undefined {
  const m = /^\s*\{\s*"type"\s*:\s*"([a-z-]{1,32})"/.exec(text);
  return m?.[1];
}
