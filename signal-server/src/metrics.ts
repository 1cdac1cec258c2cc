import type { BusFigures } from './room-bus';

/** Counters of one server instance, rendered in the Prometheus text format by `render`. */
export interface Metrics {
  framesReceived: number;
  framesRelayed: number;
  /** Frames not delivered because the addressee's socket had too much unsent data. */
  framesDropped: number;
  connectionsAccepted: number;
  /** Errors by code (error frames sent, refused upgrades, oversize frames). */
  readonly errors: Map<string, number>;
  /** Closed connections by WebSocket close code. */
  readonly closes: Map<number, number>;
  /** Sockets destroyed before their upgrade, by reason (see connection-guard.ts). */
  readonly refused: Map<string, number>;
  countError(code: string): void;
  countRefused(reason: string): void;
  countClose(code: number): void;
  render(gauges: Gauges): string;
}

export interface Gauges {
  connections: number;
  rooms: number;
  peers: number;
  /** TCP sockets open, upgraded or not. */
  sockets: number;
  /** TCP sockets not upgraded to WebSocket. */
  pendingSockets: number;
  /** Figures of a distributed room bus; null for the in-process one (no shoal_bus_* lines). */
  bus: BusFigures | null;
  /** Resident set size of the process, bytes; omitted when not provided. */
  rssBytes?: number;
}

const bump = <K>(map: Map<K, number>, key: K): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

export function createMetrics(): Metrics {
  const metrics: Metrics = {
    framesReceived: 0,
    framesRelayed: 0,
    framesDropped: 0,
    connectionsAccepted: 0,
    errors: new Map(),
    closes: new Map(),
    refused: new Map(),
    countRefused: (reason) => bump(metrics.refused, reason),
    countError: (code) => bump(metrics.errors, code),
    countClose: (code) => bump(metrics.closes, code),
    render(g) {
      const lines: string[] = [];
      const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [string, number][]): void => {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
        for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
      };
      metric('shoal_connections', 'gauge', 'Open WebSocket connections.', [['', g.connections]]);
      metric('shoal_sockets', 'gauge', 'Open TCP sockets, upgraded or not.', [['', g.sockets]]);
      metric('shoal_sockets_pending', 'gauge', 'Open TCP sockets neither answered nor upgraded to WebSocket.', [['', g.pendingSockets]]);
      metric('shoal_sockets_refused_total', 'counter', 'Sockets destroyed before their upgrade, by reason.', [...metrics.refused].map(([reason, n]) => [`{reason="${reason}"}`, n]));
      metric('shoal_rooms', 'gauge', 'Rooms with at least one member.', [['', g.rooms]]);
      metric('shoal_peers', 'gauge', 'Peers joined to a room.', [['', g.peers]]);
      metric('shoal_connections_accepted_total', 'counter', 'WebSocket connections accepted.', [['', metrics.connectionsAccepted]]);
      metric('shoal_frames_received_total', 'counter', 'Frames received from clients.', [['', metrics.framesReceived]]);
      metric('shoal_frames_relayed_total', 'counter', 'Signal frames relayed to a peer.', [['', metrics.framesRelayed]]);
      metric('shoal_frames_dropped_total', 'counter', 'Frames dropped for a slow receiver.', [['', metrics.framesDropped]]);
      metric('shoal_errors_total', 'counter', 'Errors by code.', [...metrics.errors].map(([code, n]) => [`{code="${code}"}`, n]));
      metric('shoal_closes_total', 'counter', 'Closed connections by close code.', [...metrics.closes].map(([code, n]) => [`{code="${code}"}`, n]));
      if (g.bus) {
        metric('shoal_bus_up', 'gauge', 'Connected to the room bus backplane (Redis).', [['', g.bus.up]]);
        metric('shoal_bus_published_total', 'counter', 'Messages published to the backplane.', [['', g.bus.published]]);
        metric('shoal_bus_received_total', 'counter', 'Messages received from the backplane.', [['', g.bus.received]]);
        metric('shoal_bus_errors_total', 'counter', 'Failed backplane commands and refused backplane messages.', [['{kind="command"}', g.bus.errors.command], ['{kind="payload"}', g.bus.errors.payload]]);
        if (g.bus.roundTripMs !== null) metric('shoal_bus_round_trip_seconds', 'gauge', 'Round trip of the last presence refresh.', [['', g.bus.roundTripMs / 1000]]);
      }
      if (g.rssBytes !== undefined) metric('process_resident_memory_bytes', 'gauge', 'Resident set size in bytes.', [['', g.rssBytes]]);
      return lines.join('\n') + '\n';
    },
  };
  return metrics;
}
