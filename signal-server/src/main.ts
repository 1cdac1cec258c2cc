import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { parseConfig } from './config';
import { createServer } from './create-server';

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

const server = await createServer({ config, log, rss: () => process.memoryUsage.rss() });

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  // A hard bound on top of the graceful close: never hang past the grace period.
  setTimeout(() => process.exit(1), config.shutdownGraceMs + 1000).unref();
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('uncaughtException', (err) => {
  log.fatal({ err }, 'uncaught exception');
  process.exit(1);
});
// Printed only once the signal handlers are in place: whoever reads this line may stop us right away.
process.stdout.write(`Shoal signal server listening at ${server.url}\n`);
log.info({ port: server.port, host: config.host, staticDir: config.staticDir, allowedOrigins: config.allowedOrigins }, 'listening');
