import { type CryptoKeyPairHandle, type Identity, createIdentity, fromBase64url, generateIdentityKeyPair, subtle, utf8Encode } from '@shoal/shared';
import type { KeyStore } from './history';
import { type IdentityRowProblem, parseIdentityRow } from './identity-row';

export interface LoadedIdentity {
  identity: Identity;
  /**
   * Why the stored identity was unusable and replaced by a new one (the UI says so: others will see a
   * new fingerprint); null when the stored one was used or none existed yet.
   */
  replaced: IdentityRowProblem | null;
}

const PROBE = utf8Encode('shoal identity check');

/** The pair as an Identity when its keys sign and verify together; null when they do not. */
async function usableIdentity(pair: CryptoKeyPairHandle): Promise<Identity | null> {
  try {
    const identity = await createIdentity(pair);
    const signature = await identity.sign(PROBE);
    // A row may pair one identity's private key with another's public key: every message would then
    // be dropped by all peers as badly signed, silently. One sign and verify per room open rules it out.
    const params = pair.privateKey.algorithm.name === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
    const bytes = fromBase64url(signature);
    return bytes && (await subtle().verify(params, pair.publicKey, bytes, PROBE)) ? identity : null;
  } catch {
    return null;
  }
}

/**
 * This browser's identity: the stored key pair when it parses and works, else a new one, saved in its
 * place. Never throws for a bad row (a corrupt row used to make every room fail to open). Tabs opening
 * at once may both generate; each re-reads after saving, so they settle on the one stored last.
 */
export async function loadOrCreateIdentity(keys: KeyStore): Promise<LoadedIdentity> {
  const row = await keys.load();
  let replaced: IdentityRowProblem | null = null;
  if (row !== undefined) {
    const parsed = parseIdentityRow(row);
    const identity = parsed.ok ? await usableIdentity(parsed.value) : null;
    if (identity) return { identity, replaced: null };
    replaced = parsed.ok ? 'UNUSABLE' : parsed.code;
  }
  const fresh = await generateIdentityKeyPair();
  await keys.save(fresh);
  const reread = parseIdentityRow(await keys.load());
  const settled = reread.ok ? await usableIdentity(reread.value) : null;
  return { identity: settled ?? (await createIdentity(fresh)), replaced };
}
