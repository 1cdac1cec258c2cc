import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildEntry, createChildServers, listening as firstLine } from './child-server';

// The real entry point, bundled by build.mjs itself, run as a child process.
let outfile = '';
const children = createChildServers();

beforeAll(async () => {
  outfile = await buildEntry('test-main');
}, 60_000);
afterAll(() => children.killAll());

const run = (args: string[]) => children.run(outfile, args);
const listening = async (server: ReturnType<typeof run>): Promise<string> => `${await firstLine(server)}\n`;

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
