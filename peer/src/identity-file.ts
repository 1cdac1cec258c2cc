import { webcrypto } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CryptoKeyPairHandle, fromBase64url, toBase64url } from '@shoal/shared';
import * as v from 'valibot';
import { type CliResult, cliFail, cliOk } from './cli-error';
import { parseJsonAs, writePrivateFile } from './private-file';

/** File in the keeper directory holding its identity key (mode 0600). */
export const IDENTITY_FILE = 'identity.json';

const IdentityFileSchema = v.strictObject({
  v: v.literal(1),
  algorithm: v.literal('Ed25519'),
  /** PKCS#8 private key, base64url. */
  pkcs8: v.pipe(v.string(), v.maxLength(512)),
  /** Raw public key, base64url. */
  publicKey: v.pipe(v.string(), v.maxLength(128)),
});

const ED25519 = { name: 'Ed25519' };

/**
 * The keeper's identity key pair: loaded from DIR/identity.json, or generated and written there first
 * (owner-only: 0700 directory, 0600 file, written to a temporary name and renamed so a crash never leaves
 * half a key). In memory the private key is re-imported non-extractable, as the browser keeps it.
 */
export async function loadOrCreateIdentityKey(dir: string): Promise<CliResult<CryptoKeyPairHandle>> {
  const path = join(dir, IDENTITY_FILE);
  let text: string | null = null;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!isMissing(error)) return cliFail('KEEP_DIR', `cannot read ${path}: ${message(error)}`);
  }
  if (text === null) return create(dir, path);
  const parsed = parseJsonAs(text, IdentityFileSchema);
  const pkcs8 = parsed ? fromBase64url(parsed.pkcs8) : null;
  const publicRaw = parsed ? fromBase64url(parsed.publicKey) : null;
  if (!pkcs8 || !publicRaw) return cliFail('KEEP_DIR', `${path} is not a Shoal identity file`);
  try {
    return cliOk(await importPair(pkcs8, publicRaw));
  } catch (error) {
    return cliFail('KEEP_DIR', `${path} holds an unusable key: ${message(error)}`);
  }
}

async function create(dir: string, path: string): Promise<CliResult<CryptoKeyPairHandle>> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const pair = await generatePair(true);
    const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey));
    const publicRaw = new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey));
    const body = JSON.stringify({ v: 1, algorithm: 'Ed25519', pkcs8: toBase64url(pkcs8), publicKey: toBase64url(publicRaw) });
    await writePrivateFile(path, body);
    return cliOk(await importPair(pkcs8, publicRaw));
  } catch (error) {
    return cliFail('KEEP_DIR', `cannot create the identity in ${dir}: ${message(error)}`);
  }
}

async function importPair(pkcs8: Uint8Array, publicRaw: Uint8Array): Promise<CryptoKeyPairHandle> {
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, ED25519, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('raw', publicRaw, ED25519, true, ['verify']);
  return { privateKey, publicKey };
}

/** A fresh identity for a peer that keeps nothing: it lives as long as the process. */
export async function ephemeralIdentityKey(): Promise<CryptoKeyPairHandle> {
  return generatePair(false);
}

async function generatePair(extractable: boolean): Promise<webcrypto.CryptoKeyPair> {
  const generated = await webcrypto.subtle.generateKey(ED25519, extractable, ['sign', 'verify']);
  // Ed25519 always yields a pair; the library's return type also covers symmetric keys.
  if (!('privateKey' in generated)) throw new Error('generateKey returned a single key');
  return generated;
}

const isMissing = (error: unknown) => error instanceof Error && 'code' in error && error.code === 'ENOENT';
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
