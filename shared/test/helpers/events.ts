import {
  type EventDraft,
  type Identity,
  type SignedEvent,
  type SignatureVerifier,
  createSignatureVerifier,
  encodeContent,
  signEvent,
  streamIdOf,
} from '../../src/index';
import { ROOM } from './sim';

const verifier: SignatureVerifier = createSignatureVerifier();

/**
 * Signs v2 events by hand as `identity` (stream slot 0 unless given): what a hostile member or a second
 * device can put on the wire. Seqs count up per signer unless the draft names one.
 */
export function eventSigner(identity: Identity, slot = 0) {
  let seq = 0;
  const stream = streamIdOf(verifier, identity.publicKey, slot);
  return async (draft: Partial<EventDraft> & { kind?: string }): Promise<SignedEvent> =>
    signEvent(identity, verifier, await stream, {
      room: ROOM, seq: draft.seq ?? ++seq, lamport: draft.lamport ?? 1, sentAt: draft.sentAt ?? 0, kind: draft.kind ?? 'text',
      body: draft.body ?? encodeContent('text', { text: 'hi', name: 'signer' }),
      ...(draft.target !== undefined && { target: draft.target }),
    });
}
