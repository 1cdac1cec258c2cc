import { afterEach, describe, expect, it } from 'vitest';
import { createFileNet, type FileNet, manifestOf, memorySource, randomBytesOf, readAll } from './helpers/files';

let net: FileNet | undefined;
afterEach(() => net?.close());

describe('file swarm over memory links', () => {
  it('shares a file and a linked peer fetches the same bytes, reading the source in slices', async () => {
    net = await createFileNet(2);
    net.net.connect(0, 1);
    const bytes = randomBytesOf(50_000);
    const source = memorySource(bytes);
    await net.until(() => expect(net?.net.peers[0]?.mesh.peers().filter((p) => p.state === 'online')).toHaveLength(1));
    const shared = await net.files[0]!.swarm.share(source);
    if (!shared.ok) throw new Error(shared.error.message);
    expect(source.largestRead).toBe(4096);
    const manifest = await manifestOf(shared.value);
    expect(manifest.root).toBe(shared.value.target);
    expect(net.files[1]!.swarm.fetch(shared.value, manifest)).toEqual({ ok: true, value: undefined });
    await net.until(() => expect(net?.files[1]!.swarm.state(shared.value.id)?.phase).toBe('complete'));
    expect(await readAll(net.files[1]!.swarm, shared.value.id)).toEqual(bytes);
  });
});
