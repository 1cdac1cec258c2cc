#!/usr/bin/env node
// Runs the bundled CLI (peer/dist/cli.mjs), building it first when missing or older than the sources, so
// `npx shoal-peer` works straight after `npm install` (esbuild is a root dev dependency; ~1 s).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, isStale } from '../build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli.mjs');
if (!existsSync(bundle) || isStale(bundle)) await build();
const { runCli } = await import(pathToFileURL(bundle).href);
await runCli(process.argv.slice(2));
