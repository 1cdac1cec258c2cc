// Bundles peer/src (and the TypeScript of @shoal/shared it imports) into dist/cli.mjs. Native and
// CommonJS packages stay external: they load from node_modules at run time.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCES = [join(here, 'src'), join(here, '..', 'shared', 'src')];

/** The CLI, and with `withBench` the keeper benchmark's seeder. */
export async function build(withBench = false) {
  await esbuild.build({
    entryPoints: { cli: join(here, 'src', 'cli.ts'), ...(withBench && { 'seed-keeper': join(here, 'bench', 'seed-keeper.ts') }) },
    outdir: join(here, 'dist'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@roamhq/wrtc', 'better-sqlite3', 'simple-peer', 'ws'],
    logLevel: 'warning',
  });
}

/** True when any source file is newer than the bundle. */
export function isStale(bundle) {
  const built = statSync(bundle).mtimeMs;
  const newer = (dir) => readdirSync(dir, { withFileTypes: true }).some((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? newer(path) : statSync(path).mtimeMs > built;
  });
  return SOURCES.some(newer);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build(process.argv.includes('--bench'));
