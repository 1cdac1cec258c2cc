import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../../signal-server/src/config';
import { type SignalServer, createServer } from '../../signal-server/src/create-server';
import { type RunningPeer, resolveCli, startPeer } from '../src/start-peer';
import { eventLog } from '../src/testing/event-log';

/**
 * Real signal servers (port 0, or a given port to restart one) and in-process peers for integration
 * tests, all stopped by `cleanup` (call it from afterAll).
 */
export function testPeers() {
  const dirs: string[] = [];
  const running: RunningPeer[] = [];
  const servers: SignalServer[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-peer-test-'));
    dirs.push(dir);
    return dir;
  };
  return {
    tempDir,
    async serve(port = 0): Promise<SignalServer> {
      const server = await createServer({ config: { ...DEFAULTS, staticDir: tempDir(), port, host: '127.0.0.1', logLevel: 'silent' } });
      servers.push(server);
      return server;
    },
    /** A peer started from command-line arguments, its events in a log. */
    async peer(args: string[]) {
      const log = eventLog();
      const resolved = await resolveCli(args);
      if (!resolved.ok) throw new Error(resolved.error.message);
      const started = await startPeer(resolved.value, log.emit);
      if (!started.ok) throw new Error(started.error.message);
      running.push(started.value);
      const room = started.value.rooms[0];
      if (!room) throw new Error('the peer joined no room');
      return { ...log, peer: started.value, room };
    },
    async cleanup() {
      for (const peer of running) peer.stop();
      for (const server of servers) await server.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
