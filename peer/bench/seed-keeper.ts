// Fills a keeper directory for `npm run bench:keeper` and measures the store on the way. Prints one JSON
// line: ingest rate (verify + store, as the keeper does per received event), signed bytes vs disk.
//   node peer/dist/seed-keeper.mjs --dir DIR --room NAME --messages 100000 --rooms 10
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  RoomNameSchema,
  type SignedEvent,
  createIdentity,
  createSignatureVerifier,
  encodeContent,
  signEvent,
  streamIdOf,
  verifyEvent,
} from '@shoal/shared';
import { contractEvent } from '@shoal/shared/testing';
import * as v from 'valibot';
import { ephemeralIdentityKey } from '../src/identity-file';
import { DATABASE_FILE } from '../src/start-peer';
import { openSqliteHistory } from '../src/sqlite-history';

/** Events signed concurrently (WebCrypto is async; a window keeps the pipeline full without 100k promises). */
const SIGN_WINDOW = 256;

const { values } = parseArgs({
  options: { dir: { type: 'string' }, room: { type: 'string' }, messages: { type: 'string' }, rooms: { type: 'string' } },
});
if (!values.dir || !values.room) throw new Error('--dir and --room are required');
const dir = values.dir;
const room = v.parse(RoomNameSchema, values.room);
const messages = Number(values.messages ?? 100_000);
const rooms = Number(values.rooms ?? 1);

const verifier = createSignatureVerifier();
const identity = await createIdentity(await ephemeralIdentityKey());
const author = await streamIdOf(verifier, identity.publicKey, 0);
const start = Date.now() - messages * 1000;

const signed: SignedEvent[] = [];
const signStarted = performance.now();
for (let from = 1; from <= messages; from += SIGN_WINDOW) {
  const batch = [];
  for (let seq = from; seq < Math.min(from + SIGN_WINDOW, messages + 1); seq++) {
    const body = encodeContent('text', { text: `kept message [[k${seq}]] ${'x'.repeat(40)}`, name: 'seeder' });
    batch.push(signEvent(identity, verifier, author, { room, seq, lamport: seq, sentAt: start + seq * 1000, kind: 'text', body }));
  }
  signed.push(...(await Promise.all(batch)));
}
const signMs = performance.now() - signStarted;

const store = openSqliteHistory(join(dir, DATABASE_FILE));
const ingestStarted = performance.now();
let storeMs = 0;
for (let i = 0; i < signed.length; i += SIGN_WINDOW) {
  const batch = signed.slice(i, i + SIGN_WINDOW);
  // As the mesh does per received event: verify (concurrently, as its intake does), then store in order.
  const checks = await Promise.all(batch.map((event) => verifyEvent(verifier, event)));
  if (checks.some((check) => check !== 'ok')) throw new Error('a seeded event did not verify');
  const storeStarted = performance.now();
  for (const event of batch) await store.put(event);
  await store.committed();
  storeMs += performance.now() - storeStarted;
}
const ingestMs = performance.now() - ingestStarted;
const signedBytes = signed.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0);
// Disk per signed byte is measured on the signed room alone (closing checkpoints the WAL into the file).
store.close();
const diskOf = () => ['', '-wal', '-shm'].reduce((sum, suffix) => {
  try {
    return sum + statSync(join(dir, DATABASE_FILE + suffix)).size;
  } catch {
    return sum;
  }
}, 0);
const roomDiskBytes = diskOf();

// The other rooms only make the database as big as a keeper of `rooms` rooms: well-formed events the
// keeper never re-verifies from its own disk, so unsigned ones cost it the same memory.
const filler = openSqliteHistory(join(dir, DATABASE_FILE));
for (let r = 2; r <= rooms; r++) {
  const other = v.parse(RoomNameSchema, `${room}-${r}`);
  for (let seq = 1; seq <= messages; seq++) await filler.put(contractEvent(`${r}x${seq}`, { room: other, seq, author: `${author.slice(0, 22)}.1` }));
}
filler.close();

process.stdout.write(`${JSON.stringify({
  messages,
  rooms,
  signPerSec: Math.round(messages / (signMs / 1000)),
  /** Verify + store, one core, as the keeper ingests a sync. */
  ingestPerSec: Math.round(messages / (ingestMs / 1000)),
  /** The SQLite store alone (group-committed puts). */
  storePerSec: Math.round(messages / (storeMs / 1000)),
  /** The signed room: its events as JSON, and the database holding only them. */
  signedBytes,
  roomDiskBytes,
  diskPerSignedByte: Math.round((roomDiskBytes / signedBytes) * 100) / 100,
  /** All rooms. */
  totalDiskBytes: diskOf(),
})}\n`);
