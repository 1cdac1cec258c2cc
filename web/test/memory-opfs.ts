/**
 * The part of the origin private file system the chunk store uses, in memory (happy-dom and Node have no
 * OPFS). Writes commit on close, as in browsers; `refuseWrites` makes the next writes fail with an error of
 * that name (QuotaExceededError: a full disk).
 */
export interface MemoryOpfs {
  root: FileSystemDirectoryHandle;
  refuseWrites(name: string | null): void;
  /** Every file path held (`dir/sub/file`), for assertions. */
  paths(): string[];
  /**
   * Holds the next directory listing after it took its snapshot of the entries: `reached` resolves then,
   * and the listing goes on at `release` (a write can land in between, as on a real disk).
   */
  pauseNextListing(): { reached: Promise<void>; release(): void };
}

type Node = { kind: 'file'; bytes: Uint8Array } | { kind: 'directory'; children: Map<string, Node> };

export function memoryOpfs(): MemoryOpfs {
  let refusal: string | null = null;
  let pause: { reach(): void; released: Promise<void> } | null = null;
  /** The entries as they are now; a paused listing waits after taking them. */
  const snapshot = async (children: Map<string, Node>) => {
    const entries = [...children];
    const held = pause;
    pause = null;
    if (held) {
      held.reach();
      await held.released;
    }
    return entries;
  };
  const notFound = () => new DOMException('not found', 'NotFoundError');

  const fileHandle = (name: string, node: Extract<Node, { kind: 'file' }>) => ({
    kind: 'file' as const,
    name,
    getFile: async () => new File([node.bytes.slice()], name),
    async createWritable() {
      const parts: Uint8Array[] = [];
      return {
        async write(chunk: Uint8Array) {
          if (refusal) throw new DOMException('refused', refusal);
          parts.push(chunk.slice());
        },
        async close() {
          const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
          let offset = 0;
          for (const part of parts) {
            bytes.set(part, offset);
            offset += part.byteLength;
          }
          node.bytes = bytes;
        },
        abort: async () => undefined,
      };
    },
  });

  const dirHandle = (name: string, node: Extract<Node, { kind: 'directory' }>): unknown => {
    const handleOf = (childName: string, child: Node) => (child.kind === 'file' ? fileHandle(childName, child) : dirHandle(childName, child));
    return {
      kind: 'directory' as const,
      name,
      async getDirectoryHandle(childName: string, options?: { create?: boolean }) {
        let child = node.children.get(childName);
        if (!child && options?.create) node.children.set(childName, (child = { kind: 'directory', children: new Map() }));
        if (!child || child.kind !== 'directory') throw notFound();
        return dirHandle(childName, child);
      },
      async getFileHandle(childName: string, options?: { create?: boolean }) {
        let child = node.children.get(childName);
        if (!child && options?.create) node.children.set(childName, (child = { kind: 'file', bytes: new Uint8Array() }));
        if (!child || child.kind !== 'file') throw notFound();
        return fileHandle(childName, child);
      },
      async removeEntry(childName: string) {
        if (!node.children.delete(childName)) throw notFound();
      },
      async *entries() {
        for (const [childName, child] of await snapshot(node.children)) yield [childName, handleOf(childName, child)];
      },
      async *values() {
        for (const [childName, child] of await snapshot(node.children)) yield handleOf(childName, child);
      },
    };
  };

  const top: Extract<Node, { kind: 'directory' }> = { kind: 'directory', children: new Map() };
  const list = (node: Node, prefix: string): string[] =>
    node.kind === 'file' ? [prefix] : [...node.children].flatMap(([childName, child]) => list(child, prefix ? `${prefix}/${childName}` : childName));
  return {
    root: dirHandle('', top) as FileSystemDirectoryHandle,
    refuseWrites(name) {
      refusal = name;
    },
    paths: () => list(top, ''),
    pauseNextListing() {
      let reach = () => {};
      let release = () => {};
      const reached = new Promise<void>((resolve) => (reach = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      pause = { reach, released };
      return { reached, release };
    },
  };
}
