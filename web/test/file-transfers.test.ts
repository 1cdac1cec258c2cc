import { describe, expect, it, vi } from 'vitest';
import { browserFileSource, createFileTransfers } from '../src/state/file-transfers';
import { AUTO_FETCH_PICTURE_BYTES } from '../src/state/picture-type';
import { fakeFileSwarm, fileEvent, manifestOf } from './fake-file-swarm';

function setup(begun: ReadonlySet<string> = new Set()) {
  const fake = fakeFileSwarm();
  const show = vi.fn();
  const transfers = createFileTransfers({
    swarm: fake.swarm,
    begun: async (fileId) => begun.has(fileId),
    plaintext: async () => ({ ok: false, error: { code: 'NO_SOURCE', message: 'not here' } }),
    show,
  });
  return { ...fake, show, transfers };
}

describe('file transfers', () => {
  it('shares each file and shows its event at once', async () => {
    const { transfers, shared, show } = setup();
    await transfers.share([new File(['a'], 'a.txt', { type: 'text/plain' }), new File(['bb'], 'b.png', { type: 'image/png' })]);
    expect(shared.map((source) => [source.name, source.size, source.type])).toEqual([['a.txt', 1, 'text/plain'], ['b.png', 2, 'image/png']]);
    expect(show).toHaveBeenCalledTimes(2);
    expect(transfers.shareError.value).toBeNull();
  });

  it('lists the files being shared until each is in the log', async () => {
    const { swarm } = fakeFileSwarm();
    const stored: Array<() => void> = [];
    const transfers = createFileTransfers({
      swarm: {
        ...swarm,
        share: async () => {
          await new Promise<void>((resolve) => stored.push(resolve));
          return { ok: true, value: fileEvent(stored.length, manifestOf()) };
        },
      },
      begun: async () => false,
      plaintext: async () => ({ ok: false, error: { code: 'NO_SOURCE', message: 'not here' } }),
      show: () => undefined,
    });
    const running = transfers.share([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]);
    expect(transfers.sharing.value).toEqual(['a.txt', 'b.txt']);
    await vi.waitFor(() => expect(stored).toHaveLength(1));
    stored[0]?.();
    await vi.waitFor(() => expect(transfers.sharing.value).toEqual(['b.txt']));
    await vi.waitFor(() => expect(stored).toHaveLength(2));
    stored[1]?.();
    await running;
    expect(transfers.sharing.value).toEqual([]);
  });

  it('says which files were refused and why, and still shares the others', async () => {
    const { transfers, answerShares, show } = setup();
    answerShares((source) =>
      source.name === 'huge.iso' ? { ok: false, error: { code: 'TOO_LARGE', message: 'larger than 2 GB' } } : { ok: true, value: fileEvent(9, manifestOf()) },
    );
    await transfers.share([new File(['x'], 'huge.iso'), new File(['y'], 'ok.txt')]);
    expect(transfers.shareError.value).toBe('huge.iso: larger than 2 GB');
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('fetches pictures up to the auto-fetch size when seen, but not bigger ones or other files', async () => {
    const { transfers, fetched } = setup();
    const small = fileEvent(1, manifestOf({ type: 'image/png', size: AUTO_FETCH_PICTURE_BYTES }));
    const big = fileEvent(2, manifestOf({ type: 'image/png', size: AUTO_FETCH_PICTURE_BYTES + 1 }));
    const svg = fileEvent(3, manifestOf({ type: 'image/svg+xml', size: 100 }));
    transfers.seen(small, manifestOf({ type: 'image/png', size: AUTO_FETCH_PICTURE_BYTES }));
    transfers.seen(big, manifestOf({ type: 'image/png', size: AUTO_FETCH_PICTURE_BYTES + 1 }));
    transfers.seen(svg, manifestOf({ type: 'image/svg+xml', size: 100 }));
    await Promise.resolve();
    expect(fetched).toEqual([small.id]);
  });

  it('resumes a file an earlier page load began, once', async () => {
    const event = fileEvent(4, manifestOf());
    const { transfers, fetched } = setup(new Set([event.id]));
    transfers.seen(event, manifestOf());
    transfers.seen(event, manifestOf());
    await vi.waitFor(() => expect(fetched).toEqual([event.id]));
  });

  it('follows the swarm reports per file, and retries by fetching again', () => {
    const { transfers, emit, fetched } = setup();
    const event = fileEvent(5, manifestOf());
    transfers.seen(event, manifestOf());
    const state = transfers.transfer(event.id);
    expect(state.value).toBeNull();
    emit({ fileId: event.id, phase: 'failed', receivedBytes: 10, totalBytes: 100, bytesPerSecond: 0, sources: 0, error: { code: 'NO_SOURCE', message: 'no peer has it' } });
    expect(state.value?.phase).toBe('failed');
    transfers.fetch(event.id);
    expect(fetched).toEqual([event.id]);
    expect(state.value?.phase).toBe('queued');
  });

  it('asks again for files refused while the swarm was busy, in order, as transfers end', () => {
    const { transfers, emit, fetched, limitRunning } = setup();
    limitRunning(1);
    const pictures = [1, 2, 3].map((n) => fileEvent(10 + n, manifestOf({ type: 'image/png', size: 100 })));
    for (const picture of pictures) transfers.seen(picture, manifestOf({ type: 'image/png', size: 100 }));
    const [first, second, third] = pictures.map((picture) => picture.id);
    expect(fetched).toEqual([first]);
    expect(transfers.transfer(second ?? '').value?.phase).toBe('queued');
    transfers.cancel(third ?? '');
    expect(transfers.transfer(third ?? '').value?.phase).toBe('cancelled');
    emit({ fileId: first ?? '', phase: 'complete', receivedBytes: 100, totalBytes: 100, bytesPerSecond: 0, sources: 1 });
    expect(fetched).toEqual([first, second]);
    emit({ fileId: second ?? '', phase: 'complete', receivedBytes: 100, totalBytes: 100, bytesPerSecond: 0, sources: 1 });
    expect(fetched).toEqual([first, second]);
  });

  it('reads a browser file in slices', async () => {
    const source = browserFileSource(new File(['hello world'], 'h.txt'));
    expect(new TextDecoder().decode(await source.read(6, 100))).toBe('world');
  });
});
