import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

const START_BOUND_MS = 10_000;

/** Whether redis-server can run here, and the reason when it cannot. */
export function redisAvailability(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { ok: false, reason: 'redis-server is not installed (apt-get install redis-server; .ci/run does it)' };
  return { ok: true };
}

/**
 * How a Redis test file behaves without redis-server: locally it skips with the reason printed; under
 * CI=true the file fails, because a suite that silently skips there proves nothing.
 */
export function redisGate(): { skip: boolean; check(): void } {
  const availability = redisAvailability();
  const ci = process.env.CI === 'true';
  if (!availability.ok && !ci) process.stderr.write(`skipping Redis tests: ${availability.reason}\n`);
  return {
    skip: !availability.ok && !ci,
    check() {
      if (!availability.ok) throw new Error(`Redis tests need redis-server under CI=true: ${availability.reason}`);
    },
  };
}

/** A free TCP port on loopback, from the kernel (released right away: a tiny reuse race is accepted). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface RedisProcess {
  url: string;
  port: number;
  /** SIGKILL, resolved once the process exited. */
  kill(): Promise<void>;
  /** A fresh, empty redis-server on the same port (after kill). */
  restart(): Promise<void>;
  /** Stops it (SIGKILL by PID) if running. */
  stop(): Promise<void>;
}

/** Starts redis-server on an ephemeral port without persistence; resolves once it accepts connections. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess = await launch(port);
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    async restart() {
      await kill();
      child = await launch(port);
    },
    stop: kill,
  };
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start: ${out.slice(-500)}`)), START_BOUND_MS);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.removeAllListeners('data');
      // Drained for its whole life: a full pipe would block Redis's logging.
      child.stdout?.resume();
      resolve(child);
    });
    child.stderr?.resume();
  });
}
