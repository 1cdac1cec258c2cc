// Bundles src/main.ts (with @shoal/shared and valibot) into dist/main.js, a standalone node entry.
// ws, pino and ioredis stay external: they are runtime dependencies installed with the package.
// `node build.mjs OUTFILE` writes elsewhere (the executable's test builds its own copy this way).
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const outfile = process.argv[2] ?? `${root}dist/main.js`;
await build({
  entryPoints: [`${root}src/main.ts`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ws', 'pino', 'ioredis'],
  banner: { js: '#!/usr/bin/env node' },
  sourcemap: true,
  logLevel: 'warning',
});
await chmod(outfile, 0o755);
