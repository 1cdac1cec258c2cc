import { verifyEvent } from '../crypto/event-signature';
import { isKnownKind } from '../protocol/event-content';
import { AUTHOR_ONLY_KINDS, type RoomEvent, TARGETED_KINDS, isLegacy, isRedacted, isSigned } from '../protocol/room-events';
import type { RoomName } from '../protocol/signal-messages';
import type { LamportClock } from './lamport';
import type { HistoryStore, MeshCounters, SignatureVerifier } from './mesh-api';
import type { SeenCache } from './seen-cache';
import { remember } from './bounded-maps';
import { createTombstones } from './tombstones';

/**
 * What happened to an inbound event (from a flood or a history batch). Only the outcomes a relay could
 * have checked itself (signature, id, room, shape) say anything about the link it came over: see
 * `relayAtFault`.
 */
export type IntakeOutcome =
  | 'new'
  | 'duplicate'
  | 'wrong-room'
  | 'invalid'
  | 'key-mismatch'
  | 'bad-signature'
  | 'lamport-ahead'
  | 'forged-edit'
  | 'throttled';

/** Budget check for a verified event (per-author budgets); false = 'throttled', not stored or seen. */
export type Admit = (message: RoomEvent) => boolean;

/**
 * Whether an honest relay would have refused this event itself. A v1 key conflict depends on which
 * binding each peer heard first, a Lamport bound on each peer's clock, an edit's rule on whether the
 * target is known: an honest relay can pass those on, so they never count against the link (a hostile
 * could otherwise frame honest peers into cutting each other off).
 */
export const relayAtFault = (outcome: IntakeOutcome): boolean =>
  outcome === 'bad-signature' || outcome === 'wrong-room' || outcome === 'invalid';

export interface MessageIntake {
  /**
   * Runs the acceptance pipeline; resolves 'new' only after the message was stored and delivered.
   * `admit` runs once the signature verified (so a forgery cannot spend an author's budget).
   */
  accept(message: RoomEvent, admit?: Admit): Promise<IntakeOutcome>;
  /**
   * The same pipeline for a batch (history sync): up to VERIFY_CONCURRENCY signatures are verified at
   * a time, while marking, storing and delivering stay in batch order. Outcomes in batch order.
   */
  acceptAll(messages: readonly RoomEvent[], admit?: Admit): Promise<IntakeOutcome[]>;
  /**
   * Binds an author session id to a key. `proven` bindings come from a handshake (the key signed our
   * challenge under that id) and override a binding merely claimed by earlier messages; otherwise the
   * first binding wins. False when the id is already bound to another key that cannot be overridden.
   */
  bindAuthor(author: string, publicKey: string, proven: boolean): boolean;
  /** Author bindings held (bounded by maxAuthors). */
  knownAuthors(): number;
  /** Marks an own message as handled. */
  markOwn(message: RoomEvent): void;
  /** Stores an own delete's effects (the own target and its edits redacted); returns what was redacted. */
  applyOwnDelete(message: RoomEvent): Promise<RoomEvent[]>;
}

export interface MessageIntakeDeps {
  room: RoomName;
  seen: SeenCache;
  verifier: SignatureVerifier;
  store: HistoryStore;
  lamport: LamportClock;
  counters: MeshCounters;
  /** Author session ids remembered with their key (LRU). */
  maxAuthors: number;
  deliver(message: RoomEvent): void;
}

/**
 * Signature checks in flight per batch. Verifying one message per task in series made a late joiner
 * sync ~3,300 messages/s in Chromium (e2e findings, item 3); WebCrypto runs verifications off the main
 * thread, so overlapping them is where the time goes. 64 bounds the memory of waiting outcomes.
 */
export const VERIFY_CONCURRENCY = 64;

const NOW: Promise<unknown> = Promise.resolve();

/**
 * The acceptance pipeline shared by flooding and history sync. An id is marked seen only AFTER its
 * signature verified: otherwise a relay could send a forged copy first and get the genuine message
 * dropped as a duplicate everywhere. Copies arriving while one is being verified wait for that outcome
 * instead of verifying again.
 */
export function createMessageIntake(deps: MessageIntakeDeps): MessageIntake {
  const { seen, counters } = deps;
  const inflight = new Map<string, Promise<IntakeOutcome>>();
  // v1 author session id -> key (v2 streams are derived from the key and need no table). v1 session
  // ids are just claims; without this, anyone could sign messages under someone else's session id with
  // their own key and corrupt that stream's version vector. A relay could also sign first under a
  // session id it has not met, to squat it; a handshake with the real owner then overrides that claim.
  const authorKeys = new Map<string, { key: string; proven: boolean }>();
  const streamKeys = new Map<string, string>();
  const tombstones = createTombstones({ room: deps.room, store: deps.store, verifier: deps.verifier });

  function bindAuthor(author: string, publicKey: string, proven: boolean): boolean {
    const known = authorKeys.get(author);
    if (known !== undefined && (known.key === publicKey || known.proven || !proven)) {
      const binding = { key: known.key, proven: known.proven || (proven && known.key === publicKey) };
      remember(authorKeys, author, binding, deps.maxAuthors);
      return known.key === publicKey;
    }
    remember(authorKeys, author, { key: publicKey, proven }, deps.maxAuthors);
    return true;
  }

  /** Checks that need nothing but the event itself; run concurrently across a batch. */
  async function check(message: RoomEvent): Promise<IntakeOutcome | null> {
    if (message.room !== deps.room) return 'wrong-room';
    // Known kinds carry a target exactly when they are targeted kinds; a newer version's kinds may differ.
    if (!isLegacy(message) && isKnownKind(message.kind) && TARGETED_KINDS.has(message.kind) !== (message.target !== undefined)) return 'invalid';
    if (isLegacy(message)) {
      const known = authorKeys.get(message.author);
      if (known !== undefined && known.key !== message.publicKey) return 'key-mismatch';
    }
    const verdict = await verifyEvent(deps.verifier, message, streamKeys);
    // Bounded like the author table: a flood of fresh keys cannot grow it.
    if (streamKeys.size > deps.maxAuthors) streamKeys.delete(streamKeys.keys().next().value ?? '');
    return verdict === 'ok' ? null : 'bad-signature';
  }

  /** An edit or delete names an event of its own key (unknown targets are checked when they arrive). */
  async function breaksAuthorRule(message: RoomEvent): Promise<boolean> {
    if (!isSigned(message) || !AUTHOR_ONLY_KINDS.has(message.kind) || message.target === undefined) return false;
    const target = await deps.store.get(deps.room, message.target);
    return target !== null && (target.publicKey !== message.publicKey || (!isLegacy(target) && target.kind === 'delete'));
  }

  /** `turn` settles when the previous message of the batch is committed: this one commits after it. */
  async function run(message: RoomEvent, turn: Promise<unknown>, admit?: Admit): Promise<IntakeOutcome> {
    const refused = await check(message);
    await turn;
    if (refused) return refused;
    // Judged at commit time: earlier events of the same batch move the clock on.
    if (!deps.lamport.admits(message.lamport)) return 'lamport-ahead';
    if (isLegacy(message) && !bindAuthor(message.author, message.publicKey, false)) return 'key-mismatch';
    if (await breaksAuthorRule(message)) return 'forged-edit';
    // Not marked seen: once the author's budget refilled, history sync may still fetch it.
    if (admit && !admit(message)) return 'throttled';
    seen.add(message.id);
    let stored: RoomEvent;
    let fresh: boolean;
    try {
      stored = await tombstones.storedForm(message);
      // The store is the durable de-duplication: the seen cache forgets, the store does not.
      fresh = await deps.store.put(stored);
    } catch (error) {
      // Neither stored nor delivered nor relayed: marked seen, every later copy and announcement of it
      // would be ignored and only history sync could bring it.
      seen.forget(message.id);
      throw error;
    }
    if (!fresh) {
      // A redacted copy of an event held in full: the author deleted it, so the content goes here too.
      if (isRedacted(stored)) await deps.store.redact(stored);
      return 'duplicate';
    }
    deps.lamport.observe(message.lamport);
    counters.delivered++;
    deps.deliver(stored);
    if (isSigned(stored) && stored.kind === 'delete') for (const gone of await tombstones.apply(stored)) deps.deliver(gone);
    return 'new';
  }

  async function accept(message: RoomEvent, turn: Promise<unknown> = NOW, admit?: Admit): Promise<IntakeOutcome> {
    for (;;) {
      if (seen.has(message.id)) break;
      const pending = inflight.get(message.id);
      if (pending) {
        const outcome = await pending;
        // The copy in flight was genuine: this one is a duplicate. It was forged: judge this one.
        if (outcome === 'new' || outcome === 'duplicate') break;
        continue;
      }
      const outcome = run(message, turn, admit);
      inflight.set(message.id, outcome);
      try {
        return count(await outcome);
      } finally {
        inflight.delete(message.id);
      }
    }
    return count('duplicate');
  }

  async function acceptAll(messages: readonly RoomEvent[], admit?: Admit): Promise<IntakeOutcome[]> {
    const outcomes: IntakeOutcome[] = [];
    const window: Promise<IntakeOutcome>[] = [];
    let turn = NOW;
    const failures: unknown[] = [];
    // Every started accept is awaited, even after a failure, so none is left rejecting unobserved.
    const settle = async (pending: Promise<IntakeOutcome> | undefined): Promise<void> => {
      try {
        if (pending) outcomes.push(await pending);
      } catch (error) {
        failures.push(error);
      }
    };
    for (const message of messages) {
      const pending = accept(message, turn, admit);
      // A copy judged a duplicate settles without waiting for its turn; the next must still wait for it.
      const previous = turn;
      turn = pending.then(() => previous, () => previous);
      window.push(pending);
      if (window.length >= VERIFY_CONCURRENCY) await settle(window.shift());
    }
    for (const pending of window) await settle(pending);
    if (failures.length > 0) throw failures[0];
    return outcomes;
  }

  function count(outcome: IntakeOutcome): IntakeOutcome {
    if (outcome === 'duplicate') counters.duplicatesDropped++;
    else if (outcome === 'bad-signature') counters.badSignatureDropped++;
    else if (outcome === 'key-mismatch') counters.authorKeyMismatchDropped++;
    else if (outcome === 'wrong-room' || outcome === 'invalid') counters.malformedDropped++;
    else if (outcome === 'lamport-ahead') counters.lamportAheadDropped++;
    else if (outcome === 'forged-edit') counters.forgedEditsDropped++;
    else if (outcome === 'throttled') counters.authorThrottledDropped++;
    return outcome;
  }

  return {
    accept: (message, admit) => accept(message, NOW, admit),
    acceptAll,
    bindAuthor,
    knownAuthors: () => authorKeys.size,
    markOwn(message) {
      seen.add(message.id);
      if (isLegacy(message)) bindAuthor(message.author, message.publicKey, true);
    },
    applyOwnDelete: (message) => (isSigned(message) && message.kind === 'delete' ? tombstones.apply(message) : Promise.resolve([])),
  };
}
