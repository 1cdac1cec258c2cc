import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

// The real entry point, bundled by build.mjs itself, run as a child process.
const outfile = fileURLToPath(new URL('../dist/test-main.js', import.meta.url));
const children: ChildProcess[] = [];

beforeAll(async () => {
  const built = spawn(process.execPath, [fileURLToPath(new URL('../build.mjs', import.meta.url)), outfile], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => built.on('exit', resolve));
  if (code !== 0) throw new Error(`build.mjs exited with ${code}`);
}, 60_000);
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(args: string[]): { child: ChildProcess; stdout: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [outfile, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, exited };
}

async function listening(server: ReturnType<typeof run>): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (!server.stdout().includes('\n')) {
    if (Date.now() > deadline || server.child.exitCode !== null) throw new Error('server did not start');
    await new Promise((resolve) => server.child.stdout?.once('data', resolve));
  }
  return server.stdout();
}

describe('main (the shoal-signal executable)', () => {
  it('prints the URL line, and on SIGTERM closes sockets with 1001 and exits within the grace period', async () => {
    const server = run(['--port', '0', '--log-level', 'silent', '--shutdown-grace-ms', '1000']);
    const line = await listening(server);
    expect(line).toMatch(/^Shoal signal server listening at http:\/\/localhost:\d+\/\n$/);
    const port = /:(\d+)\//.exec(line)?.[1];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const started = Date.now();
    server.child.kill('SIGTERM');
    expect(await closed).toBe(1001);
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('prints help and exits 0 on --help, and refuses an unknown flag with exit code 2', async () => {
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('--max-conns-per-ip');
    expect(await run(['--no-such-flag']).exited).toBe(2);
  });
});
