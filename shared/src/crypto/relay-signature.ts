import type { Identity, SignatureVerifier } from '../mesh/mesh-api';
import type { RoomName } from '../protocol/signal-messages';
import { utf8Encode } from './web-crypto';

/** The fields of a `relay-signal` its originator signs; `hops` is left out because relays change it. */
export interface RelaySignalContent {
  id: string;
  from: string;
  to: string;
  data: Readonly<Record<string, unknown>>;
}

/**
 * Nesting the canonical encoding follows; deeper payloads are refused. WebRTC signals nest 2 levels
 * (`{ candidate: { candidate, sdpMid } }`), and the bound keeps recursion off attacker-chosen depth.
 */
export const MAX_SIGNAL_DEPTH = 8;

/**
 * JSON with object keys sorted at every level: the signer's object and the one the target re-parses from
 * the wire encode to the same string whatever order a relay's JSON round trip leaves the keys in. Null
 * when the value is nested deeper than MAX_SIGNAL_DEPTH (or is not JSON data).
 */
export function canonicalJson(value: unknown, depth = 0): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : null;
  if (typeof value !== 'object' || depth >= MAX_SIGNAL_DEPTH) return null;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      const encoded = canonicalJson(item, depth + 1);
      if (encoded === null) return null;
      parts.push(encoded);
    }
    return `[${parts.join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    const encoded = canonicalJson(record[key], depth + 1);
    if (encoded === null) return null;
    parts.push(`${JSON.stringify(key)}:${encoded}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * The bytes a relayed signal's signature covers: a domain tag (disjoint from chat and hello-proof bytes),
 * the room, and id, from, to and the payload. Binding `id` stops a relay from re-labelling a captured
 * signal; binding `to` stops it from redirecting one; binding the room stops cross-room replay. Null when
 * the payload has no canonical encoding (it cannot have been signed).
 */
export function relaySigningBytes(room: RoomName, content: RelaySignalContent): Uint8Array | null {
  const data = canonicalJson(content.data);
  if (data === null) return null;
  return utf8Encode(JSON.stringify(['shoal/relay-signal/v1', room, content.id, content.from, content.to, data]));
}

/** The originator's signature over a relayed signal; null when the payload cannot be encoded. */
export async function signRelaySignal(identity: Identity, room: RoomName, content: RelaySignalContent): Promise<string | null> {
  const bytes = relaySigningBytes(room, content);
  return bytes === null ? null : identity.sign(bytes);
}

/** True when `signature` is `publicKey`'s signature over the signal (only the target checks this). */
export async function verifyRelaySignal(
  verifier: SignatureVerifier,
  room: RoomName,
  content: RelaySignalContent,
  publicKey: string,
  signature: string,
): Promise<boolean> {
  const bytes = relaySigningBytes(room, content);
  return bytes !== null && verifier.verify(publicKey, signature, bytes);
}
