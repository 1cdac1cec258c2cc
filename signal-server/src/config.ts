import * as v from 'valibot';
import { type IceServer, IceServerSchema, MAX_ICE_SERVERS, MAX_PEER_LIST, MAX_SIGNAL_FRAME_BYTES } from '@shoal/shared';

/** Validated server configuration. Every field has a documented default (see OPTIONS / `--help`). */
export interface Config {
  /** TCP port; 0 picks an ephemeral port. Default 8080. */
  port: number;
  /** Interface to bind. Default 127.0.0.1 (loopback only; set 0.0.0.0 behind a proxy or on a LAN). */
  host: string;
  /** Directory of the built web app. Default `<repo>/web/dist`, resolved from the running file. */
  staticDir: string;
  /** Origins allowed to open a WebSocket; empty = any origin (and none) is allowed. Default empty. */
  allowedOrigins: string[];
  /** STUN/TURN servers handed to browsers in `welcome`. Default none: nothing leaves the host or LAN. */
  iceServers: IceServer[];
  /** Largest accepted frame (ws maxPayload); bigger ones close with 1009. Default MAX_SIGNAL_FRAME_BYTES. */
  maxFrameBytes: number;
  /** Token-bucket refill rate per connection, frames/s. Default 50. */
  rateLimitPerSec: number;
  /** Token-bucket size per connection (frames allowed in a burst). Default 100. */
  rateLimitBurst: number;
  /** Frames dropped in a row by the rate limit before the connection is closed with 1008. Default 200. */
  maxRateLimitedFrames: number;
  /** Malformed frames (bad JSON, shape, type, binary) before the connection is closed with 1008. Default 10. */
  maxBadFrames: number;
  /** Members allowed in one room; more get ROOM_FULL. Default 256. */
  maxPeersPerRoom: number;
  /** Peers listed in one `welcome` (a random subset in bigger rooms). Default and maximum MAX_PEER_LIST. */
  peerListLimit: number;
  /** Open connections allowed from one IP address; 0 = unlimited. Default 64. */
  maxConnectionsPerIp: number;
  /**
   * Reverse proxies in front of the server whose X-Forwarded-For entries are believed (see clientIp);
   * 0 = none, the socket address is the client's. Default 0.
   */
  trustProxy: number;
  /**
   * TCP sockets from one address neither answered nor upgraded to WebSocket (yet): requests and upgrades
   * in flight, and silent sockets; and ANSWERED_PER_PENDING times as many not upgraded, answered or not.
   * The excess is destroyed on accept. Counts the socket address, also behind a proxy (raise it there).
   * 0 = unlimited. Default 64.
   */
  maxPendingPerIp: number;
  /**
   * TCP sockets open in total, upgraded or not; the excess is destroyed on accept. Keep it under the
   * process's file limit (LimitNOFILE) with room for files and logs. 0 = unlimited. Default 19000.
   */
  maxConnections: number;
  /** A socket neither answered nor upgraded is closed after this long without traffic, ms. Default 10000. */
  idleTimeoutMs: number;
  /** Time a connection may stay without joining a room, ms. Default 10000. */
  joinTimeoutMs: number;
  /** Ping interval, ms; a socket that has not answered the previous ping is terminated. Default 30000. */
  heartbeatMs: number;
  /** Time given to sockets to close on shutdown before they are terminated, ms. Default 5000. */
  shutdownGraceMs: number;
  /**
   * Redis to share rooms with every process using the same one (`redis://host:port[/db]`); empty =
   * rooms in this process only. Default empty.
   */
  redisUrl: string;
  /**
   * With Redis: a process refreshes its presence every third of this, and the members of a process that
   * stopped doing so (died) leave their rooms for everyone else within about 4/3 of it, ms. Default 15000.
   */
  presenceTtlMs: number;
  /** Processes serving one port (node:cluster); more than 1 needs redisUrl. Default 1. */
  workers: number;
  /** pino log level. Default 'info'. */
  logLevel: LogLevel;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface Option {
  key: keyof Config;
  flag: string;
  env: string;
  help: string;
  schema: v.GenericSchema<string, Config[keyof Config]>;
}

const int = (min: number, max: number) =>
  v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(min), v.maxValue(max));
const list = v.pipe(
  v.string(),
  v.transform((s) => s.split(',').map((item) => item.trim()).filter((item) => item !== '')),
);
const iceServers = v.pipe(
  v.string(),
  v.parseJson(),
  v.array(IceServerSchema),
  v.maxLength(MAX_ICE_SERVERS),
);

const OPTIONS: readonly Option[] = [
  { key: 'port', flag: 'port', env: 'PORT', help: 'TCP port, 0 = ephemeral [8080]', schema: int(0, 65535) },
  { key: 'host', flag: 'host', env: 'HOST', help: 'interface to bind [127.0.0.1]', schema: v.pipe(v.string(), v.minLength(1)) },
  { key: 'staticDir', flag: 'static-dir', env: 'STATIC_DIR', help: 'built web app to serve [<repo>/web/dist]', schema: v.pipe(v.string(), v.minLength(1)) },
  { key: 'allowedOrigins', flag: 'allowed-origins', env: 'ALLOWED_ORIGINS', help: 'comma list of origins allowed to connect [any origin]', schema: list },
  { key: 'iceServers', flag: 'ice-servers', env: 'ICE_SERVERS', help: 'JSON array of RTCIceServer for browsers [none]', schema: iceServers },
  { key: 'maxFrameBytes', flag: 'max-frame-bytes', env: 'MAX_FRAME_BYTES', help: `largest frame, bytes; bigger closes 1009 [${MAX_SIGNAL_FRAME_BYTES}]`, schema: int(256, 16 * 1024 * 1024) },
  { key: 'rateLimitPerSec', flag: 'rate-limit', env: 'RATE_LIMIT', help: 'frames/s per connection (token bucket refill) [50]', schema: int(1, 10_000_000) },
  { key: 'rateLimitBurst', flag: 'rate-burst', env: 'RATE_BURST', help: 'token bucket size, frames [100]', schema: int(1, 10_000_000) },
  { key: 'maxRateLimitedFrames', flag: 'max-rate-limited', env: 'MAX_RATE_LIMITED', help: 'frames dropped in a row before close 1008 [200]', schema: int(1, 1_000_000) },
  { key: 'maxBadFrames', flag: 'max-bad-frames', env: 'MAX_BAD_FRAMES', help: 'malformed frames before close 1008 [10]', schema: int(1, 1_000_000) },
  { key: 'maxPeersPerRoom', flag: 'max-peers-per-room', env: 'MAX_PEERS_PER_ROOM', help: 'members per room, more get ROOM_FULL [256]', schema: int(1, 1_000_000) },
  { key: 'peerListLimit', flag: 'peer-list-limit', env: 'PEER_LIST_LIMIT', help: `peers listed in a welcome [${MAX_PEER_LIST}]`, schema: int(0, MAX_PEER_LIST) },
  { key: 'maxConnectionsPerIp', flag: 'max-conns-per-ip', env: 'MAX_CONNS_PER_IP', help: 'open connections per IP, 0 = unlimited [64]', schema: int(0, 10_000_000) },
  { key: 'trustProxy', flag: 'trust-proxy', env: 'TRUST_PROXY', help: 'proxies in front whose X-Forwarded-For to believe for the per-IP limit [0]', schema: int(0, 10) },
  { key: 'maxPendingPerIp', flag: 'max-pending-per-ip', env: 'MAX_PENDING_PER_IP', help: 'sockets per IP neither answered nor upgraded to WebSocket (4x that not upgraded), 0 = unlimited [64]', schema: int(0, 10_000_000) },
  { key: 'maxConnections', flag: 'max-connections', env: 'MAX_CONNECTIONS', help: 'TCP sockets open in total, 0 = unlimited [19000]', schema: int(0, 10_000_000) },
  { key: 'idleTimeoutMs', flag: 'idle-timeout-ms', env: 'IDLE_TIMEOUT_MS', help: 'silence allowed on a socket before its first answer or upgrade, ms [10000]', schema: int(1, 3_600_000) },
  { key: 'joinTimeoutMs', flag: 'join-timeout-ms', env: 'JOIN_TIMEOUT_MS', help: 'time to send join before close, ms [10000]', schema: int(1, 3_600_000) },
  { key: 'heartbeatMs', flag: 'heartbeat-ms', env: 'HEARTBEAT_MS', help: 'ping interval, ms; no pong by the next ping = dead [30000]', schema: int(1, 3_600_000) },
  { key: 'shutdownGraceMs', flag: 'shutdown-grace-ms', env: 'SHUTDOWN_GRACE_MS', help: 'time for sockets to close on shutdown, ms [5000]', schema: int(0, 600_000) },
  { key: 'redisUrl', flag: 'redis-url', env: 'REDIS_URL', help: 'share rooms with every process on this Redis (redis://host:port/db) [none]', schema: v.pipe(v.string(), v.regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')) },
  { key: 'presenceTtlMs', flag: 'presence-ttl-ms', env: 'PRESENCE_TTL_MS', help: 'with Redis: a dead process\'s members leave within ~4/3 of this, ms [15000]', schema: int(300, 3_600_000) },
  { key: 'workers', flag: 'workers', env: 'WORKERS', help: 'processes serving the port (node:cluster); >1 needs --redis-url [1]', schema: int(1, 256) },
  { key: 'logLevel', flag: 'log-level', env: 'LOG_LEVEL', help: 'fatal|error|warn|info|debug|trace|silent [info]', schema: v.picklist(LOG_LEVELS) },
];

/** Defaults for everything but staticDir, which depends on where the server runs. */
export const DEFAULTS: Omit<Config, 'staticDir'> = {
  port: 8080,
  host: '127.0.0.1',
  allowedOrigins: [],
  iceServers: [],
  maxFrameBytes: MAX_SIGNAL_FRAME_BYTES,
  rateLimitPerSec: 50,
  rateLimitBurst: 100,
  maxRateLimitedFrames: 200,
  maxBadFrames: 10,
  maxPeersPerRoom: 256,
  peerListLimit: MAX_PEER_LIST,
  maxConnectionsPerIp: 64,
  trustProxy: 0,
  maxPendingPerIp: 64,
  maxConnections: 19_000,
  idleTimeoutMs: 10_000,
  joinTimeoutMs: 10_000,
  heartbeatMs: 30_000,
  shutdownGraceMs: 5_000,
  redisUrl: '',
  presenceTtlMs: 15_000,
  workers: 1,
  logLevel: 'info',
};

export type ConfigResult = { kind: 'config'; config: Config } | { kind: 'help'; text: string } | { kind: 'error'; message: string };

/**
 * Reads flags (`--port 9000` or `--port=9000`) and environment variables; a flag wins over its
 * variable, and a variable over the default. Unknown flags and invalid values are errors, not ignored:
 * a typo in a limit must not silently run the server with the default.
 */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, defaultStaticDir: string): ConfigResult {
  const raw = new Map<Option, string>();
  for (const option of OPTIONS) {
    const value = env[option.env];
    if (value !== undefined && value !== '') raw.set(option, value);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help', text: helpText() };
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const option = match ? OPTIONS.find((o) => o.flag === match[1]) : undefined;
    if (!match || !option) return { kind: 'error', message: `unknown argument "${arg}" (see --help)` };
    const value = match[2] ?? argv[++i];
    if (value === undefined) return { kind: 'error', message: `--${option.flag} needs a value` };
    raw.set(option, value);
  }
  const config: Config = { ...DEFAULTS, staticDir: defaultStaticDir };
  const target = config as unknown as Record<string, unknown>;
  for (const [option, value] of raw) {
    const parsed = v.safeParse(option.schema, value);
    if (!parsed.success) return { kind: 'error', message: `--${option.flag} / ${option.env}: ${parsed.issues[0]?.message ?? 'invalid'}` };
    target[option.key] = parsed.output;
  }
  // Workers without a shared bus would each hold rooms of their own: peers would miss each other.
  if (config.workers > 1 && config.redisUrl === '') return { kind: 'error', message: '--workers above 1 needs --redis-url / REDIS_URL' };
  return { kind: 'config', config };
}

/** The `--help` text: every option with its flag, variable and default. */
export function helpText(): string {
  const lines = OPTIONS.map((o) => `  --${o.flag.padEnd(20)} ${o.env.padEnd(20)} ${o.help}`);
  return ['Usage: shoal-signal [options]   (flags override environment variables)', '', ...lines, '  --help', ''].join('\n');
}
