import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { parseConfig } from './config';
import { createServer } from './create-server';
import { createRedisRoomBus } from './redis-room-bus';
import { type ListeningMessage, runWorkers } from './run-workers';

// The only file that touches `process`: flags, environment, stdout, signals and the exit code.

// Both src/main.ts and dist/main.js sit two levels below the repository root.
const defaultStaticDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const parsed = parseConfig(process.argv.slice(2), process.env, defaultStaticDir);
if (parsed.kind === 'help') {
  process.stdout.write(parsed.text);
  process.exit(0);
}
if (parsed.kind === 'error') {
  process.stderr.write(`shoal-signal: ${parsed.message}\n`);
  process.exit(2);
}
const { config } = parsed;
const log = pino({ level: config.logLevel, base: { service: 'shoal-signal' } });
process.on('uncaughtException', (err) => {
  log.fatal({ err }, 'uncaught exception');
  process.exit(1);
});

if (config.workers > 1 && cluster.isPrimary) {
  // The primary serves nothing itself: it starts the workers, prints the line, and passes on signals.
  const workers = runWorkers({
    count: config.workers,
    log,
    onListening: (url) => {
      process.stdout.write(`Shoal signal server listening at ${url}\n`);
      log.info({ workers: config.workers, port: config.port, host: config.host }, 'listening');
    },
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 2000).unref();
    workers.stop(signal).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} else {
  await serve();
}

async function serve(): Promise<void> {
  const bus = config.redisUrl === '' ? undefined : createRedisRoomBus({ url: config.redisUrl, maxPeersPerRoom: config.maxPeersPerRoom, presenceTtlMs: config.presenceTtlMs, log });
  const server = await createServer({ config, log, ...(bus ? { bus } : {}), instance: String(process.pid), rss: () => process.memoryUsage.rss() });

  let stopping = false;
  function stop(signal: string): void {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // A hard bound on top of the graceful close: never hang past the grace period.
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 1000).unref();
    server.close().then(() => bus?.close()).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  }
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // The password part of a Redis URL stays out of the logs.
  const roomBus = bus ? `redis ${new URL(config.redisUrl).host}` : 'in-process';
  if (cluster.isWorker) {
    const message: ListeningMessage = { type: 'listening', url: server.url };
    process.send?.(message);
    log.info({ port: server.port, pid: process.pid, roomBus }, 'worker listening');
    return;
  }
  // Printed only once the signal handlers are in place: whoever reads this line may stop us right away.
  process.stdout.write(`Shoal signal server listening at ${server.url}\n`);
  log.info({ port: server.port, host: config.host, staticDir: config.staticDir, allowedOrigins: config.allowedOrigins, roomBus }, 'listening');
}
