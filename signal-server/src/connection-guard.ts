import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { LogLimiter } from './log-limiter';
import type { Metrics } from './metrics';

export interface ConnectionGuardOptions {
  /** TCP sockets from one address neither answered nor upgraded to WebSocket (yet); 0 = unlimited. */
  maxPendingPerIp: number;
  /** TCP sockets open in total, upgraded or not; 0 = unlimited. */
  maxConnections: number;
  /** A socket that has not upgraded is closed after this long without traffic, ms. */
  idleTimeoutMs: number;
  metrics: Metrics;
  logs: LogLimiter;
}

/** Why a socket was closed before it upgraded (the `reason` label of shoal_sockets_refused_total). */
export type RefusedReason = 'PENDING_PER_IP' | 'MAX_CONNECTIONS' | 'IDLE_TIMEOUT';

/**
 * Caps and times out TCP sockets from the moment they are accepted, before any HTTP byte: without it a
 * socket that never sends anything lives forever and counts against no limit (the per-IP WebSocket cap
 * only sees upgraded sockets), so one address could take every file descriptor of the process.
 */
export interface ConnectionGuard {
  /** For the http server's 'connection' event: admits the socket or destroys it. */
  admit(socket: Socket): void;
  /** The socket became a WebSocket: it no longer counts as pending and has no idle timeout here. */
  upgraded(socket: Duplex): void;
  /**
   * A response went out on the socket: it is an HTTP client like any other from here, kept alive for
   * its next request and closed by the http server's keep-alive timeout, and no longer pending. A page
   * load opens ~6 of them per browser, which kept them pending for seconds: 11 people behind one address
   * (a school's NAT) filled the per-address cap, and the WebSockets their pages opened next were refused.
   */
  served(socket: Duplex): void;
  /** Sockets neither answered nor upgraded. */
  readonly pending: number;
  /** Sockets open in total. */
  readonly open: number;
}

export function createConnectionGuard(options: ConnectionGuardOptions): ConnectionGuard {
  const { maxPendingPerIp, maxConnections, idleTimeoutMs, metrics, logs } = options;
  // The address is kept per socket: after a reset `remoteAddress` can be undefined at 'close'.
  const pending = new Map<Duplex, string>();
  const perIp = new Map<string, number>();
  let open = 0;

  function release(socket: Duplex): void {
    const ip = pending.get(socket);
    if (ip === undefined) return;
    pending.delete(socket);
    const left = (perIp.get(ip) ?? 1) - 1;
    if (left > 0) perIp.set(ip, left);
    else perIp.delete(ip);
  }

  function refuse(socket: Socket, reason: RefusedReason, ip: string): void {
    metrics.countRefused(reason);
    logs.warn(reason, { ip, open, pending: pending.size }, 'socket closed before upgrade');
    socket.destroy();
  }

  // Shared listeners (`this` is the socket), not a closure per socket.
  function onClose(this: Socket): void {
    open--;
    release(this);
  }
  function onTimeout(this: Socket): void {
    const ip = pending.get(this);
    // An upgraded socket's timeouts belong to ws (it clears ours); only pending ones are ours to end.
    if (ip !== undefined) refuse(this, 'IDLE_TIMEOUT', ip);
  }
  // Errors on a pending socket (ECONNRESET) end in 'close'; the listener keeps them from crashing us.
  const onError = (): void => undefined;

  return {
    admit(socket) {
      const ip = socket.remoteAddress ?? 'unknown';
      if (maxConnections > 0 && open >= maxConnections) return refuse(socket, 'MAX_CONNECTIONS', ip);
      const count = perIp.get(ip) ?? 0;
      if (maxPendingPerIp > 0 && count >= maxPendingPerIp) return refuse(socket, 'PENDING_PER_IP', ip);
      open++;
      pending.set(socket, ip);
      perIp.set(ip, count + 1);
      socket.on('close', onClose);
      socket.on('error', onError);
      socket.on('timeout', onTimeout);
      socket.setTimeout(idleTimeoutMs);
    },
    served: release,
    upgraded(socket) {
      release(socket);
      // http hands 'upgrade' a Duplex; it is the accepted net.Socket (ws clears the timeout too).
      if (socket instanceof Socket) socket.setTimeout(0);
    },
    get pending() {
      return pending.size;
    },
    get open() {
      return open;
    },
  };
}
