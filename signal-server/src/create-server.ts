import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { clientIp } from './client-ip';
import type { Config } from './config';
import { createConnectionGuard } from './connection-guard';
import { createConnections } from './connections';
import { CLOSE } from './handle-message';
import { createInProcessRoomBus } from './in-process-room-bus';
import { type Log, silentLog } from './log';
import { createLogLimiter } from './log-limiter';
import { type Metrics, createMetrics } from './metrics';
import type { RoomBus } from './room-bus';
import { createStaticHandler, plain } from './static-files';

export interface ServerDeps {
  config: Config;
  /** Default: silent. */
  log?: Log;
  /** Room membership and relay. Default: an in-process bus with config.maxPeersPerRoom. */
  bus?: RoomBus;
  /** Milliseconds clock (rate limits, uptime). Default Date.now. */
  now?: () => number;
  /** Names this process in /healthz, e.g. its pid (several share one port under --workers). Default none. */
  instance?: string;
  /** Resident set size in bytes, for /metrics. Default: not reported. */
  rss?: () => number;
}

export interface SignalServer {
  /** `http://<host>:<port>/` as bound. */
  url: string;
  port: number;
  metrics: Metrics;
  /**
   * Graceful stop: refuses new connections, closes every socket with 1001 (SERVER_SHUTDOWN), and
   * terminates those still open after config.shutdownGraceMs. Idempotent.
   */
  close(): Promise<void>;
}

/** Starts the HTTP + WebSocket server and resolves once it listens. */
export async function createServer(deps: ServerDeps): Promise<SignalServer> {
  const { config } = deps;
  const log = deps.log ?? silentLog;
  const now = deps.now ?? Date.now;
  const bus = deps.bus ?? createInProcessRoomBus({ maxPeersPerRoom: config.maxPeersPerRoom });
  const metrics = createMetrics();
  const startedAt = now();
  const connections = createConnections({ config, bus, metrics, log, now });
  const staticFiles = createStaticHandler(config.staticDir);
  const guard = createConnectionGuard({
    maxPendingPerIp: config.maxPendingPerIp,
    maxConnections: config.maxConnections,
    idleTimeoutMs: config.idleTimeoutMs,
    metrics,
    logs: createLogLimiter(log, now),
  });
  let closing: Promise<void> | null = null;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxFrameBytes,
    // Compression costs ~300 KB per socket under load and a zip bomb vector; signaling frames are small.
    perMessageDeflate: false,
    // We track sockets ourselves; ws's own Set would be a second copy.
    clientTracking: false,
  });
  wss.on('error', (err) => log.error({ err }, 'websocket server error'));

  const http = createHttpServer((req, res) => {
    res.once('finish', () => guard.served(req.socket));
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/healthz') {
      // Degraded still answers 200: this process serves its own rooms; only cross-process sharing is off.
      const health = bus.health();
      const status = closing ? 'closing' : health.status;
      const reason = health.status === 'degraded' ? { reason: health.reason } : {};
      const instance = deps.instance === undefined ? {} : { instance: deps.instance };
      const body = JSON.stringify({ status, ...reason, ...instance, connections: connections.size, rooms: bus.stats().rooms, uptimeS: Math.round((now() - startedAt) / 1000) });
      return plain(res, closing ? 503 : 200, body, 'application/json');
    }
    if (path === '/metrics') {
      const { rooms, peers } = bus.stats();
      const gauges = { connections: connections.size, rooms, peers, sockets: guard.open, pendingSockets: guard.pending, bus: bus.figures(), ...(deps.rss ? { rssBytes: deps.rss() } : {}) };
      return plain(res, 200, metrics.render(gauges), 'text/plain; version=0.0.4; charset=utf-8');
    }
    staticFiles.handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'static file error');
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    });
  });
  http.on('error', (err) => log.error({ err }, 'http server error'));
  // Before any HTTP parsing: a socket that never sends a byte never reaches 'request' or 'upgrade'.
  http.on('connection', guard.admit);
  http.on('clientError', (err, socket) => {
    log.debug({ err: err.message }, 'bad http request');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  // One shared listener, not a closure per socket: it stays attached for the socket's lifetime.
  const onUpgradeSocketError = (err: Error): void => log.debug({ err: err.message }, 'upgrade socket error');
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', onUpgradeSocketError);
    // Out of the pending count from here: the per-IP WebSocket cap and ws's heartbeat take over.
    guard.upgraded(socket);
    const origin = req.headers.origin;
    if (closing) return refuse(socket, 503, 'SERVER_SHUTDOWN');
    if (config.allowedOrigins.length > 0 && (origin === undefined || !config.allowedOrigins.includes(origin))) {
      metrics.countError('ORIGIN_NOT_ALLOWED');
      log.info({ origin }, 'refused origin');
      return refuse(socket, 403, 'ORIGIN_NOT_ALLOWED');
    }
    const ip = clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], config.trustProxy);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // From here ws guards the socket with its own 'error' listener.
      socket.off('error', onUpgradeSocketError);
      connections.accept(ws, socket, ip);
    });
  });

  await staticFiles.warm();
  const sweep = setInterval(() => connections.sweep(), config.heartbeatMs);
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const host = config.host === '127.0.0.1' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;

  async function shutdown(): Promise<void> {
    clearInterval(sweep);
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeIdleConnections();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), config.shutdownGraceMs);
    });
    const result = await Promise.race([connections.closeAll(CLOSE.goingAway, 'SERVER_SHUTDOWN'), grace]);
    if (result === 'timeout') connections.terminateAll();
    clearTimeout(timer);
    http.closeAllConnections();
    await stopped;
  }

  return {
    url: `http://${host}:${port}/`,
    port,
    metrics,
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}

function refuse(socket: import('node:stream').Duplex, status: 403 | 503, code: string): void {
  const body = JSON.stringify({ code });
  const reason = status === 403 ? 'Forbidden' : 'Service Unavailable';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}
