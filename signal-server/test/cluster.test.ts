import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntry, createChildServers, listening, portOf } from './child-server';
import { eventually, health, joinMany } from './helpers';
import { type RedisProcess, redisGate, startRedis } from './redis-process';

// Real server processes (the built entry point) sharing rooms through one Redis.

const PRESENCE_TTL_MS = 600;
const gate = redisGate();
let redis: RedisProcess;
let entry = '';
const children = createChildServers();

beforeAll(async () => {
  gate.check();
  [redis, entry] = await Promise.all([startRedis(), buildEntry('test-cluster-main')]);
}, 60_000);
afterAll(async () => {
  children.killAll();
  await redis?.stop();
});

/** Starting a Node process (or restarting a worker after backoff) takes seconds on a loaded 2-core machine. */
const PROCESS_WAIT_MS = 20_000;

async function serverProcess(extra: string[] = []): Promise<{ url: string; server: ReturnType<typeof children.run> }> {
  const server = children.run(entry, ['--port', '0', '--log-level', 'silent', '--redis-url', redis.url, '--presence-ttl-ms', String(PRESENCE_TTL_MS), ...extra]);
  const url = `http://127.0.0.1:${portOf(await listening(server))}/`;
  await eventually(async () => ((await health(url)).status === 'ok' ? true : undefined), 'bus connected', PROCESS_WAIT_MS);
  return { url, server };
}

describe.skipIf(gate.skip)('server processes on one Redis', () => {
  it('takes the members of a SIGKILLed process out of their rooms on the others within the presence TTL', { timeout: 60_000 }, async () => {
    const [one, two] = [await serverProcess(), await serverProcess()];
    const [survivor] = await joinMany(one, 'crash', 1);
    const doomed = await joinMany(two, 'crash', 2);
    for (const d of doomed) await survivor!.client.next('peer-joined', (m) => m.peerId === d.id);
    const killedAt = Date.now();
    two.server.child.kill('SIGKILL');
    for (const d of doomed) await survivor!.client.next('peer-left', (m) => m.peerId === d.id);
    // A refresh every TTL/3: the last one before the kill expires within TTL, seen by the next refresh.
    expect(Date.now() - killedAt).toBeLessThan((PRESENCE_TTL_MS * 4) / 3 + 500);
    // And they are gone from the room for newcomers too.
    const [late] = await joinMany(one, 'crash', 1);
    expect(late!.client.messages[0]).toMatchObject({ type: 'welcome', peers: [survivor!.id] });
  });

  it('serves one port from two worker processes that share rooms, and replaces a killed worker (--workers 2)', { timeout: 60_000 }, async () => {
    const { url, server } = await serverProcess(['--workers', '2']);
    // The primary hands connections to the workers in turn: both answer within a few requests.
    const instances = new Set<string>();
    await eventually(async () => {
      instances.add((await health(url)).instance ?? '');
      return instances.size >= 2 ? true : undefined;
    }, 'two workers answering', PROCESS_WAIT_MS);
    const members = await joinMany({ url }, 'workers', 4);
    const last = members[3]!;
    expect(last.client.messages[0]).toMatchObject({ type: 'welcome' });
    const welcome = last.client.messages[0];
    expect(welcome?.type === 'welcome' && [...welcome.peers].sort()).toEqual(members.slice(0, 3).map((m) => m.id).sort());
    last.client.send({ type: 'signal', to: members[0]!.id, data: { across: 'workers' } });
    expect((await members[0]!.client.next('signal')).from).toBe(last.id);

    // SIGKILL one worker: the primary starts another on the same port; members of the dead one leave
    // for the members of the other within the presence TTL.
    const [victim] = [...instances];
    process.kill(Number(victim), 'SIGKILL');
    const gone = await eventually(() => {
      const closed = members.filter((m) => m.client.ws.readyState === m.client.ws.CLOSED);
      return closed.length > 0 ? closed : undefined;
    }, 'the dead worker\'s clients closed', PROCESS_WAIT_MS);
    for (const survivor of members.filter((m) => !gone.includes(m))) {
      for (const dead of gone) await survivor.client.next('peer-left', (m) => m.peerId === dead.id);
    }
    await eventually(async () => {
      const instance = (await health(url)).instance ?? '';
      return instances.has(instance) ? undefined : true;
    }, 'a restarted worker answering', PROCESS_WAIT_MS);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
