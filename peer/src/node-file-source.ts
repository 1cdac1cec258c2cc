import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileResult, FileSource } from '@shoal/shared/files';

/** A local file as a FileSource: read a slice at a time through one open handle (never whole in memory). */
export interface NodeFileSource extends FileSource {
  close(): Promise<void>;
}

/** Opens `path` for sharing; READ_FAILED as a value when it cannot be opened or is not a regular file. */
export async function openFileSource(path: string, type = ''): Promise<FileResult<NodeFileSource>> {
  try {
    const handle = await open(path, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return { ok: false, error: { code: 'READ_FAILED', message: `${path} is not a regular file` } };
    }
    return {
      ok: true,
      value: {
        name: basename(path), size: stat.size, type,
        async read(offset, length) {
          const buffer = new Uint8Array(length);
          const { bytesRead } = await handle.read(buffer, 0, length, offset);
          return buffer.subarray(0, bytesRead);
        },
        close: () => handle.close(),
      },
    };
  } catch (error) {
    return { ok: false, error: { code: 'READ_FAILED', message: error instanceof Error ? error.message : String(error) } };
  }
}
