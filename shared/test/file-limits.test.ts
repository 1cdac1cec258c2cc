import { afterEach, describe, expect, it } from 'vitest';
import { encodeContent, type SignedEvent } from '../src/index';
import { encodeChunkFrame } from '../src/files/file-frames';
import { attachRawPeer } from './helpers/raw-peer';
import { createFileNet, type FileNet, manifestOf, memorySource, randomBytesOf } from './helpers/files';
import { eventSigner } from './helpers/events';
import { createInstantIdentity } from './helpers/instant-crypto';
import { eventually, onlineCount, peerIdOf } from './helpers/sim';
import { LOOKUP_BUDGET } from '../src/files/file-uploads';

let net: FileNet | undefined;
afterEach(() => net?.close());

async function shareOn(n: FileNet, i: number, bytes: Uint8Array): Promise<SignedEvent> {
  const shared = await n.files[i]!.swarm.share(memorySource(bytes));
  if (!shared.ok) throw new Error(shared.error.message);
  return shared.value;
}

/** Peer 0 shares `size` bytes with peer 1 linked to it, whose room quota is `quota`. */
async function sharedToQuota(quota: number, size: number): Promise<{ n: FileNet; event: SignedEvent }> {
  const n = await createFileNet(2, { options: (i) => (i === 1 ? { roomQuotaBytes: quota } : {}) });
  net = n;
  n.net.connect(0, 1);
  await n.until(() => expect(onlineCount(n.net.peers[1]!)).toBe(1));
  return { n, event: await shareOn(n, 0, randomBytesOf(size)) };
}

describe('file swarm bounds', () => {
  it('refuses to share or fetch a file over its maximum size (TOO_LARGE), and takes one at the maximum', async () => {
    net = await createFileNet(2, { options: () => ({ maxFileBytes: 20_000 }) });
    const tooBig = await net.files[0]!.swarm.share(memorySource(randomBytesOf(20_001)));
    expect(!tooBig.ok && tooBig.error.code).toBe('TOO_LARGE');
    const event = await shareOn(net, 0, randomBytesOf(20_000));
    const manifest = await manifestOf(event);
    expect(net.files[1]!.swarm.fetch(event, manifest).ok).toBe(true);
    const claimed = net.files[1]!.swarm.fetch({ ...event, id: 'B'.repeat(43) }, { ...manifest, size: 20_001 });
    expect(!claimed.ok && claimed.error.code).toBe('TOO_LARGE');
  });

  it('refuses a share past the room quota (QUOTA)', async () => {
    net = await createFileNet(1, { options: () => ({ roomQuotaBytes: 30_000 }) });
    await shareOn(net, 0, randomBytesOf(20_000));
    const over = await net.files[0]!.swarm.share(memorySource(randomBytesOf(10_001)));
    expect(!over.ok && over.error.code).toBe('QUOTA');
    expect(await net.files[0]!.store.usage()).toBe(20_000);
  });

  it('fetches a file that takes most of the quota, counting it once', { timeout: 20_000 }, async () => {
    const { n, event } = await sharedToQuota(100_000, 60_000);
    expect(n.files[1]!.swarm.fetch(event, await manifestOf(event)).ok).toBe(true);
    await n.until(() => expect(n.files[1]!.swarm.state(event.id)?.phase).toBe('complete'));
    expect(await n.files[1]!.store.usage()).toBe(60_000);
  });

  it('a blind keeper stops at its quota whatever the holders claim, storing nothing', { timeout: 20_000 }, async () => {
    const { n, event } = await sharedToQuota(10_000, 50_000);
    expect(n.files[1]!.swarm.keep(event).ok).toBe(true);
    await n.until(() => expect(n.files[1]!.swarm.state(event.id)?.error?.code).toBe('QUOTA'));
    expect(await n.files[1]!.store.usage()).toBe(0);
  });

  it('fails a download the store cannot hold (DISK_FULL), storing no more than the store takes', { timeout: 20_000 }, async () => {
    net = await createFileNet(2, { capacity: (i) => (i === 1 ? 20_000 : Number.POSITIVE_INFINITY) });
    const n = net;
    n.net.connect(0, 1);
    await n.until(() => expect(onlineCount(n.net.peers[1]!)).toBe(1));
    const event = await shareOn(n, 0, randomBytesOf(50_000));
    expect(n.files[1]!.swarm.fetch(event, await manifestOf(event)).ok).toBe(true);
    await n.until(() => expect(n.files[1]!.swarm.state(event.id)?.error?.code).toBe('DISK_FULL'));
    expect(await n.files[1]!.store.usage()).toBeLessThanOrEqual(20_000);
  });

  it('runs at most maxTransfers downloads (BUSY) and fails one nobody serves (NO_SOURCE)', async () => {
    net = await createFileNet(2, { options: (i) => (i === 1 ? { maxTransfers: 1, noSourceMs: 5_000 } : {}) });
    const n = net;
    // Two files nobody linked to peer 1 holds.
    const first = await shareOn(n, 0, randomBytesOf(5_000, 1));
    const second = await shareOn(n, 0, randomBytesOf(5_000, 2));
    expect(n.files[1]!.swarm.fetch(first, await manifestOf(first)).ok).toBe(true);
    const busy = n.files[1]!.swarm.fetch(second, await manifestOf(second));
    expect(!busy.ok && busy.error.code).toBe('BUSY');
    await n.until(() => expect(n.files[1]!.swarm.state(first.id)?.error?.code).toBe('NO_SOURCE'));
    expect(n.files[1]!.swarm.fetch(second, await manifestOf(second)).ok).toBe(true);
  });

  it('refuses a file event without a target, and a text event with one', async () => {
    net = await createFileNet(1, { crypto: 'webcrypto' });
    const peer = net.net.peers[0]!;
    const sign = eventSigner(peer.identity);
    const body = encodeContent('file', { name: 'a', size: 1, type: '', chunkSize: 1024, hash: 'A'.repeat(43), root: 'A'.repeat(43) });
    const report = await peer.mesh.ingest([await sign({ kind: 'file', body }), await sign({ kind: 'text', target: 'A'.repeat(43) }), await sign({ kind: 'file', body, target: 'A'.repeat(43) })]);
    expect(report).toEqual({ accepted: 1, duplicates: 0, refused: 2 });
    await expect(peer.mesh.publish({ kind: 'file', body })).rejects.toMatchObject({ code: 'BAD_EVENT' });
  });
});

describe('file swarm against a hostile peer', () => {
  it('strikes a peer that queues chunk requests past its bound until the mesh cuts and bans it', { timeout: 20_000 }, async () => {
    net = await createFileNet(1, { options: () => ({ maxQueuedPerLink: 8 }) });
    const n = net;
    const event = await shareOn(n, 0, randomBytesOf(100_000));
    const raw = await attachRawPeer(n.net.peers[0]!, peerIdOf(77), { handshake: true, autoPong: true, identity: createInstantIdentity(7) });
    await n.until(() => expect(onlineCount(n.net.peers[0]!)).toBe(1));
    // 40 requests of 8 chunks at once: an honest peer keeps to its window and never outruns the queue.
    for (let i = 0; i < 40; i++) raw.send({ type: 'file-req', file: event.id, indexes: [0, 1, 2, 3, 4, 5, 6, 7] });
    await n.until(() => expect(raw.closed()).toBe(true));
    expect(n.net.peers[0]!.mesh.bannedUntil(raw.peerId)).not.toBeNull();
    expect(n.files[0]!.swarm.counters().bytesServed).toBeLessThan(100_000);
  });

  it('answers a flood of queries only within its lookup budget, and keeps the link', { timeout: 20_000 }, async () => {
    net = await createFileNet(1);
    const n = net;
    const event = await shareOn(n, 0, randomBytesOf(10_000));
    const raw = await attachRawPeer(n.net.peers[0]!, peerIdOf(80), { handshake: true, autoPong: true, identity: createInstantIdentity(8) });
    await n.until(() => expect(onlineCount(n.net.peers[0]!)).toBe(1));
    for (let i = 0; i < 1_000; i++) raw.send({ type: 'file-query', file: event.id });
    // Frames of a link are handled in order: once this rename shows, every query before it was handled.
    raw.send({ type: 'name', name: 'after the flood' });
    await eventually(() => expect(n.net.peers[0]!.mesh.peers()[0]?.name).toBe('after the flood'));
    const answers = () => raw.inbox.filter((f) => f.type === 'file-have').length;
    await eventually(() => expect(answers()).toBe(LOOKUP_BUDGET.burst));
    expect(answers()).toBe(LOOKUP_BUDGET.burst);
    // Time refills the budget: a later query is answered again.
    n.net.clock.advance(1_000);
    raw.send({ type: 'file-query', file: event.id });
    await eventually(() => expect(answers()).toBe(LOOKUP_BUDGET.burst + 1));
    expect(raw.closed()).toBe(false);
  });

  it('strikes a peer that sends chunks nobody asked for, and stores none of them', { timeout: 20_000 }, async () => {
    net = await createFileNet(1);
    const n = net;
    const raw = await attachRawPeer(n.net.peers[0]!, peerIdOf(78), { handshake: true, autoPong: true, identity: createInstantIdentity(7) });
    await n.until(() => expect(onlineCount(n.net.peers[0]!)).toBe(1));
    const junk = encodeChunkFrame('C'.repeat(43), 0, new Uint8Array(1000))!;
    for (let i = 0; i < 25; i++) raw.wire.b.sendBytes(junk);
    await n.until(() => expect(raw.closed()).toBe(true));
    expect(n.files[0]!.swarm.counters().unsolicitedFrames).toBeGreaterThanOrEqual(20);
    expect(await n.files[0]!.store.usage()).toBe(0);
  });

  it('closes a link that sends binary frames before its handshake', async () => {
    net = await createFileNet(1);
    const raw = await attachRawPeer(net.net.peers[0]!, peerIdOf(79), { handshake: false });
    for (let i = 0; i < 25; i++) raw.wire.b.sendBytes(new Uint8Array([1, 2, 3]));
    await net.until(() => expect(raw.closed()).toBe(true));
  });
});
