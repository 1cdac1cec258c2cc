import { fromBase64url, toBase64url } from '@shoal/shared';
import { type PeerSignal, parsePeerSignal } from '@shoal/shared/link';

/** Prefix of manual invite codes, versioned so a future encoding is told apart. */
const PREFIX = 'shoal1.';
/** Longest code accepted from a paste; a compressed data-channel offer is about 0.5–1 KB. */
export const MAX_INVITE_CODE_CHARS = 16 * 1024;

/**
 * A complete (non-trickle) offer or answer as copy-and-paste text: JSON, deflated, base64url. An SDP with
 * its candidates shrinks to about a third, short enough for a chat message or a QR code.
 */
export async function encodeInviteCode(signal: PeerSignal): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(signal));
  return PREFIX + toBase64url(await transform(bytes, new CompressionStream('deflate-raw')));
}

/** The offer or answer in a pasted code, or null for anything else (typos, truncation, other text). */
export async function decodeInviteCode(text: string): Promise<PeerSignal | null> {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PREFIX) || trimmed.length > MAX_INVITE_CODE_CHARS) return null;
  const bytes = fromBase64url(trimmed.slice(PREFIX.length));
  if (!bytes) return null;
  try {
    const json = new TextDecoder('utf-8', { fatal: true }).decode(await transform(bytes, new DecompressionStream('deflate-raw')));
    const signal = parsePeerSignal(JSON.parse(json));
    return signal && signal.type !== 'candidate' ? signal : null;
  } catch {
    return null;
  }
}

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  // Copied into a plain ArrayBuffer-backed view, which is what Blob accepts.
  const output = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}
