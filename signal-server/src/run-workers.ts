import cluster, { type Worker } from 'node:cluster';
import type { Log } from './log';

/** Delay before a crashed worker is started again, ms; doubled per crash in a row up to MAX. */
export const RESTART_BASE_MS = 500;
export const RESTART_MAX_MS = 30_000;
/** A worker that ran this long before crashing resets the restart delay, ms. */
const STABLE_MS = 60_000;

/** What a worker tells the primary once its server listens. */
export interface ListeningMessage {
  type: 'listening';
  url: string;
}

export interface WorkersOptions {
  count: number;
  log: Log;
  /** Called once, when every worker listens, with the URL of the first. */
  onListening(url: string): void;
}

export interface Workers {
  /** Sends `signal` to every worker and resolves when all have exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

const isListening = (message: unknown): message is ListeningMessage =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'listening' && typeof (message as { url?: unknown }).url === 'string';

/**
 * The primary of `--workers N`: forks N copies of this entry point (cluster.settings default to the
 * same script and arguments), which share the listening port; the primary hands accepted sockets to
 * them round-robin and holds none itself. A worker that dies is started again with a growing delay;
 * the others keep serving, and Redis's presence TTL takes the dead one's members out of their rooms.
 */
export function runWorkers(options: WorkersOptions): Workers {
  const { count, log } = options;
  const listening = new Set<Worker>();
  let announced = false;
  let stopping = false;
  let delay = RESTART_BASE_MS;

  function fork(): void {
    const startedAt = Date.now();
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (!isListening(message)) return;
      listening.add(worker);
      if (!announced && listening.size >= count) {
        announced = true;
        options.onListening(message.url);
      }
    });
    worker.on('exit', (code, signal) => {
      listening.delete(worker);
      if (stopping) return;
      if (Date.now() - startedAt > STABLE_MS) delay = RESTART_BASE_MS;
      log.error({ pid: worker.process.pid, code, signal, restartInMs: delay }, 'worker exited; starting another');
      setTimeout(fork, delay).unref();
      delay = Math.min(delay * 2, RESTART_MAX_MS);
    });
  }

  for (let i = 0; i < count; i++) fork();

  return {
    stop(signal) {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      return Promise.all(
        workers.map((w) => new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.process.kill(signal);
        })),
      ).then(() => undefined);
    },
  };
}
