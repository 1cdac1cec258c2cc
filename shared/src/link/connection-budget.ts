import type { CreatePeerConnection, PeerConnection } from './peer-connection';

/**
 * Live RTCPeerConnections one tab allows itself. Chromium refuses the 501st live one in a tab (closed
 * ones count until collected), and a tab that stays open for weeks sees thousands come and go; the mesh
 * never needs more than its degree plus attempts in flight. Default 128.
 */
export const DEFAULT_LIVE_CONNECTIONS = 128;

export interface ConnectionBudget {
  create: CreatePeerConnection;
  /** Connections created and not yet closed. */
  live(): number;
  /** Attempts refused because the budget was spent. */
  refused(): number;
}

/**
 * Wraps a connection factory so that at most `max` connections are live at once. An attempt beyond it
 * gets a connection that closes at once (the caller's failure path, which it has anyway), so nothing
 * upstream needs to know about the budget. The wrapper keeps no reference to a closed connection: a
 * closed RTCPeerConnection is only released when nothing holds it.
 */
export function createConnectionBudget(create: CreatePeerConnection, max = DEFAULT_LIVE_CONNECTIONS): ConnectionBudget {
  let live = 0;
  let refused = 0;
  return {
    create(options) {
      if (live >= max) {
        refused++;
        return refusedConnection();
      }
      live++;
      const connection = create(options);
      let counted = true;
      connection.onClose(() => {
        if (!counted) return;
        counted = false;
        live--;
      });
      return connection;
    },
    live: () => live,
    refused: () => refused,
  };
}

/** A connection attempt that fails as soon as the caller has subscribed. */
function refusedConnection(): PeerConnection {
  const closeHandlers: Array<() => void> = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const handler of closeHandlers.splice(0)) handler();
  };
  void Promise.resolve().then(close);
  return {
    signal() {},
    onSignal() {},
    onConnect() {},
    onClose(handler) {
      if (closed) void Promise.resolve().then(handler);
      else closeHandlers.push(handler);
    },
    destroy: close,
  };
}
