import type { RoomProof } from '../mesh/room-proof';
import { fromBase64url, toBase64url } from './base64url';
import { subtle, utf8Encode } from './web-crypto';

/** Wire name of the room-key MAC scheme. */
export const ROOM_KEY_MAC_SCHEME = 'room-key-mac';

/**
 * The room-key proof: HMAC-SHA256 over the transcript, under a key derived with HKDF-SHA256 from the
 * room's keeper capability (info `shoal/room-proof/v1`, salted with the room id). Every member derives
 * the capability from the room key; a keeper holds only the capability (keeper-token.ts), so members and
 * keepers prove the room alike while a keeper still cannot decrypt. A MAC never reveals its key,
 * and the derived key is useless for decrypting bodies. A peer that saw a proof can test passphrase
 * guesses offline only at the PBKDF2 cost of each guess, the same as the room id already allows.
 */
export async function createRoomKeyProof(keyMaterial: Uint8Array, roomId: string): Promise<RoomProof> {
  const base = await subtle().importKey('raw', keyMaterial, { name: 'HKDF' }, false, ['deriveBits']);
  const hkdf = { name: 'HKDF', hash: 'SHA-256', salt: utf8Encode(roomId), info: utf8Encode('shoal/room-proof/v1') };
  const macBits = await subtle().deriveBits(hkdf, base, 256);
  const mac = await subtle().importKey('raw', macBits, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return {
    scheme: ROOM_KEY_MAC_SCHEME,
    prove: async (transcript) => toBase64url(new Uint8Array(await subtle().sign({ name: 'HMAC' }, mac, transcript))),
    async check(transcript, proof) {
      const bytes = fromBase64url(proof);
      // HMAC verify compares in constant time.
      return bytes !== null && subtle().verify({ name: 'HMAC' }, mac, bytes, transcript);
    },
  };
}
