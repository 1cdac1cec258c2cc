import { fromBase64url, toBase64url } from '../crypto/base64url';
import { utf8Decode, utf8Encode } from '../crypto/web-crypto';
import { type PeerSignal, parsePeerSignal } from './signal-data';

/** Prefix of manual invite codes, versioned so a future encoding is told apart. */
const PREFIX = 'shoal1.';
/** Longest code accepted from a paste; a compressed data-channel offer is about 0.5–1 KB. */
export const MAX_INVITE_CODE_CHARS = 16 * 1024;

/**
 * A complete (non-trickle) offer or answer as copy-and-paste text: JSON, deflated, base64url. An SDP with
 * its candidates shrinks to about a third, short enough for a chat message or a QR code.
 */
export async function encodeInviteCode(signal: PeerSignal): Promise<string> {
  const bytes = utf8Encode(JSON.stringify(signal));
  return PREFIX + toBase64url(await transform(bytes, 'compress'));
}

/** The offer or answer in a pasted code, or null for anything else (typos, truncation, other text). */
export async function decodeInviteCode(text: string): Promise<PeerSignal | null> {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PREFIX) || trimmed.length > MAX_INVITE_CODE_CHARS) return null;
  const bytes = fromBase64url(trimmed.slice(PREFIX.length));
  if (!bytes) return null;
  try {
    const json = utf8Decode(await transform(bytes, 'decompress'));
    const signal = json === null ? null : parsePeerSignal(JSON.parse(json));
    return signal && signal.type !== 'candidate' ? signal : null;
  } catch {
    return null;
  }
}

/**
 * The streams API subset this needs. Browsers and Node 18+ have these globals; shared compiles without DOM
 * or Node types, so they are read off globalThis with just the types used (as web-crypto.ts does).
 */
interface StreamsPlatform {
  CompressionStream: new (format: 'deflate-raw') => unknown;
  DecompressionStream: new (format: 'deflate-raw') => unknown;
  Blob: new (parts: Uint8Array[]) => { stream(): { pipeThrough(stream: unknown): unknown } };
  Response: new (body: unknown) => { arrayBuffer(): Promise<ArrayBuffer> };
}

async function transform(bytes: Uint8Array, direction: 'compress' | 'decompress'): Promise<Uint8Array> {
  const platform = globalThis as unknown as StreamsPlatform;
  const stream = direction === 'compress' ? new platform.CompressionStream('deflate-raw') : new platform.DecompressionStream('deflate-raw');
  // Copied into a plain ArrayBuffer-backed view, which is what Blob accepts.
  const output = new platform.Blob([new Uint8Array(bytes)]).stream().pipeThrough(stream);
  return new Uint8Array(await new platform.Response(output).arrayBuffer());
}
