import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const START_BOUND_MS = 15_000;

/** Bundles the real entry point with build.mjs into dist/<name>.js; returns its path. */
export async function buildEntry(name: string): Promise<string> {
  const outfile = fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));
  const built = spawn(process.execPath, [fileURLToPath(new URL('../build.mjs', import.meta.url)), outfile], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => built.on('exit', resolve));
  if (code !== 0) throw new Error(`build.mjs exited with ${code}`);
  return outfile;
}

export interface ChildServer {
  child: ChildProcess;
  stdout(): string;
  exited: Promise<number | null>;
}

/** Runs `node entry args`; every child is tracked so `killAll` can stop it by PID. */
export function createChildServers(): { run(entry: string, args: string[], env?: Record<string, string>): ChildServer; killAll(): void } {
  const children: ChildProcess[] = [];
  return {
    run(entry, args, env = {}) {
      const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      children.push(child);
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr?.resume();
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      return { child, stdout: () => out, exited };
    },
    killAll() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Resolves with the first stdout line (the URL line) once printed; rejects if the process exits first. */
export async function listening(server: ChildServer): Promise<string> {
  const deadline = Date.now() + START_BOUND_MS;
  while (!server.stdout().includes('\n')) {
    if (Date.now() > deadline || server.child.exitCode !== null) throw new Error(`server did not start: ${server.stdout().slice(-500)}`);
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      server.child.stdout?.once('data', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
  return server.stdout().split('\n', 1)[0] ?? '';
}

/** The port of `Shoal signal server listening at http://localhost:PORT/`. */
export const portOf = (line: string): number => Number(/:(\d+)\//.exec(line)?.[1]);
