import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { LogLimiter } from './log-limiter';
import type { Metrics } from './metrics';

export interface ConnectionGuardOptions {
  /**
   * TCP sockets from one address neither answered nor upgraded to WebSocket (yet), and ANSWERED_PER_PENDING
   * times as many not upgraded, answered or not; 0 = unlimited.
   */
  maxPendingPerIp: number;
  /** TCP sockets open in total, upgraded or not; 0 = unlimited. */
  maxConnections: number;
  /** A socket neither answered nor upgraded is closed after this long without traffic, ms. */
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
   * A response went out on the socket: kept alive for its next request and closed by the http server's
   * keep-alive timeout, it no longer counts as pending, only toward the looser bound on answered ones
   * (ANSWERED_PER_PENDING). A page load opens ~6 of them per browser, and as pending they stayed for
   * seconds: 11 people behind one address (a school's NAT) filled the cap, and the WebSockets their pages
   * opened next were refused.
   */
  served(socket: Duplex): void;
  /** Sockets neither answered nor upgraded. */
  readonly pending: number;
  /** Sockets open in total. */
  readonly open: number;
}

/**
 * Sockets one address may hold before their upgrade, answered or not, as a multiple of maxPendingPerIp:
 * 256 by default, ~40 browsers loading the page at once behind one NAT. Answered ones need a bound too:
 * such a socket could trickle its next request's headers or body for as long as Node's request
 * timeouts allow.
 */
export const ANSWERED_PER_PENDING = 4;

/** Sockets per address, of one kind. */
class PerAddress {
  private readonly counts = new Map<string, number>();
  get(ip: string): number {
    return this.counts.get(ip) ?? 0;
  }
  add(ip: string, delta: number): void {
    const next = this.get(ip) + delta;
    if (next > 0) this.counts.set(ip, next);
    else this.counts.delete(ip);
  }
}

export function createConnectionGuard(options: ConnectionGuardOptions): ConnectionGuard {
  const { maxPendingPerIp, maxConnections, idleTimeoutMs, metrics, logs } = options;
  // Sockets not upgraded, with their address (after a reset `remoteAddress` can be undefined at 'close')
  // and whether a response went out on them.
  const tracked = new Map<Duplex, { ip: string; answered: boolean }>();
  const unanswered = new PerAddress();
  const notUpgraded = new PerAddress();
  let pending = 0;
  let open = 0;

  function untrack(socket: Duplex): void {
    const entry = tracked.get(socket);
    if (entry === undefined) return;
    tracked.delete(socket);
    notUpgraded.add(entry.ip, -1);
    if (entry.answered) return;
    unanswered.add(entry.ip, -1);
    pending--;
  }

  function refuse(socket: Socket, reason: RefusedReason, ip: string): void {
    metrics.countRefused(reason);
    logs.warn(reason, { ip, open, pending }, 'socket closed before upgrade');
    socket.destroy();
  }

  // Shared listeners (`this` is the socket), not a closure per socket.
  function onClose(this: Socket): void {
    open--;
    untrack(this);
  }
  function onTimeout(this: Socket): void {
    const entry = tracked.get(this);
    // An upgraded socket's timeouts belong to ws (it clears ours), an answered one's to the http
    // server's keep-alive; only pending ones are ours to end.
    if (entry !== undefined && !entry.answered) refuse(this, 'IDLE_TIMEOUT', entry.ip);
  }
  // Errors on a pending socket (ECONNRESET) end in 'close'; the listener keeps them from crashing us.
  const onError = (): void => undefined;

  return {
    admit(socket) {
      const ip = socket.remoteAddress ?? 'unknown';
      if (maxConnections > 0 && open >= maxConnections) return refuse(socket, 'MAX_CONNECTIONS', ip);
      if (maxPendingPerIp > 0 && (unanswered.get(ip) >= maxPendingPerIp || notUpgraded.get(ip) >= maxPendingPerIp * ANSWERED_PER_PENDING)) {
        return refuse(socket, 'PENDING_PER_IP', ip);
      }
      open++;
      pending++;
      tracked.set(socket, { ip, answered: false });
      unanswered.add(ip, 1);
      notUpgraded.add(ip, 1);
      socket.on('close', onClose);
      socket.on('error', onError);
      socket.on('timeout', onTimeout);
      socket.setTimeout(idleTimeoutMs);
    },
    served(socket) {
      const entry = tracked.get(socket);
      if (entry === undefined || entry.answered) return;
      entry.answered = true;
      unanswered.add(entry.ip, -1);
      pending--;
    },
    upgraded(socket) {
      untrack(socket);
      // http hands 'upgrade' a Duplex; it is the accepted net.Socket (ws clears the timeout too).
      if (socket instanceof Socket) socket.setTimeout(0);
    },
    get pending() {
      return pending;
    },
    get open() {
      return open;
    },
  };
}
