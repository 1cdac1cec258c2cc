import { deletes, redact } from '../crypto/event-signature';
import { type RoomEvent, type SignedEvent, isRedacted, isSigned } from '../protocol/room-events';
import type { RoomName } from '../protocol/signal-messages';
import type { HistoryStore, SignatureVerifier } from './mesh-api';

/**
 * Deletion is a signed `delete` event naming its target. Stores that apply it keep only the target's
 * signed header (see RedactedEvent): the content is gone from here, and history sync hands on the
 * header with the delete, never the content. Copies of the content that arrive after the delete (a late
 * relay, an old peer's sync) are stored redacted too: the tombstone always wins.
 */

/** Events acting on one target that are looked at; more (a flood of reactions) are not scanned. */
export const MAX_TARGETING_SCAN = 512;

export interface Tombstones {
  /** The form to store for a verified event: redacted when an applicable delete is already stored. */
  storedForm(event: RoomEvent): Promise<RoomEvent>;
  /** After a delete was stored: redacts its target and the target's edits. Returns what was redacted. */
  apply(remover: SignedEvent): Promise<RoomEvent[]>;
}

export function createTombstones(deps: {
  room: RoomName;
  store: HistoryStore;
  verifier: Pick<SignatureVerifier, 'digest'>;
}): Tombstones {
  const { store, verifier } = deps;
  /**
   * Ids some stored delete names. Looking every arriving event up in the store (one read per event, in
   * commit order) made a 10,000-event sync take seconds; only an event named here can need redacting.
   */
  const named = new Set<string>();
  // Unreadable: every event is looked up, slower but never wrong.
  let lookUpAll = false;
  const loaded = store.deleteTargets(deps.room).then(
    (ids) => {
      for (const id of ids) named.add(id);
    },
    () => {
      lookUpAll = true;
    },
  );
  const mayBeDeleted = (event: SignedEvent): boolean =>
    lookUpAll || named.has(event.id) || (event.kind === 'edit' && event.target !== undefined && named.has(event.target));

  async function removerOf(event: SignedEvent): Promise<SignedEvent | null> {
    const targets = event.kind === 'edit' && event.target !== undefined ? [event.id, event.target] : [event.id];
    for (const target of targets) {
      for (const other of await store.targeting(event.room, target, MAX_TARGETING_SCAN)) {
        if (isSigned(other) && deletes(other, event)) return other;
      }
    }
    return null;
  }

  return {
    async storedForm(event) {
      if (!isSigned(event) || event.kind === 'delete') return event;
      await loaded;
      if (!mayBeDeleted(event)) return event;
      const remover = await removerOf(event);
      return remover ? redact(verifier, event, remover) : event;
    },
    async apply(remover) {
      if (remover.target === undefined) return [];
      named.add(remover.target);
      const candidates: RoomEvent[] = [];
      const target = await store.get(remover.room, remover.target);
      if (target) candidates.push(target);
      candidates.push(...(await store.targeting(remover.room, remover.target, MAX_TARGETING_SCAN)));
      const redacted: RoomEvent[] = [];
      for (const event of candidates) {
        if (!isSigned(event) || isRedacted(event) || !deletes(remover, event)) continue;
        const form = await redact(verifier, event, remover);
        await store.redact(form);
        redacted.push(form);
      }
      return redacted;
    },
  };
}
