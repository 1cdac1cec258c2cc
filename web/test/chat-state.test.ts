import { signal } from '@preact/signals';
import {
  type LegacyMessage,
  type RoomEvent,
  type SignedEvent,
  type PeerInfo,
  createIdentity,
  createSignatureVerifier,
  generateIdentityKeyPair,
  signChatMessage,
  verifyEvent,
} from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import type { SignalingStatus } from '@shoal/shared/link';
import { createChatState, documentTitle } from '../src/state/chat';
import type { ViewMessage } from '@shoal/shared';
import type { ChatHistory } from '../src/store/history';
import { createFakeMesh } from './fake-mesh';
import { peerId, room } from './ids';
import { chatMessage } from './messages';

const lobby = room('lobby');
const self = peerId(1);
const other = peerId(2);

/** A history over a plain sorted array, with the paging semantics of the IndexedDB one. */
function arrayHistory(stored: RoomEvent[]): Pick<ChatHistory, 'recent' | 'before'> {
  const sorted = [...stored].sort((a, b) => a.lamport - b.lamport || (a.id < b.id ? -1 : 1));
  return {
    recent: async (_room, limit) => sorted.slice(-limit),
    before: async (_room, at, limit) => sorted.filter((m) => m.lamport < at.lamport || (m.lamport === at.lamport && m.id < at.id)).slice(-limit),
  };
}

/** Test messages carry placeholder signatures; a real verifier is used where signatures matter. */
const acceptAll = async () => true;

function setup(stored: RoomEvent[] = [], pageSize = 3, verify: (message: RoomEvent) => Promise<boolean> = acceptAll) {
  const fake = createFakeMesh(lobby, self);
  const queue: Array<() => void> = [];
  const serverStatus = signal<SignalingStatus>('connecting');
  const state = createChatState({
    room: lobby, ownAuthors: new Set([self, peerId(9)]), mesh: fake.mesh, history: arrayHistory(stored), serverStatus, pageSize,
    verify, schedule: (fn) => void queue.push(fn),
  });
  /** Lets pending decodes settle, then runs the scheduled merge. */
  const flush = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (queue.length > 0) queue.shift()?.();
  };
  return { fake, state, serverStatus, flush };
}

const bodies = (messages: readonly ViewMessage[]) => messages.map((m) => m.body);

describe('chat state', () => {
  it('shows messages in Lamport order whatever order they arrive in, each once', async () => {
    const { fake, state, flush } = setup();
    await state.load();
    for (const lamport of [3, 1, 2]) fake.deliver(chatMessage(lobby, other, lamport, lamport));
    fake.deliver(chatMessage(lobby, other, 1, 1));
    await flush();
    fake.deliver(chatMessage(lobby, other, 2, 2));
    fake.deliver(chatMessage(lobby, other, 4, 1, 99)); // same Lamport time as message 1, larger id
    await flush();
    expect(bodies(state.messages.value)).toEqual(['message 1', 'message 99', 'message 2', 'message 3']);
  });

  it('merges a burst of deliveries in one update', async () => {
    const { fake, state, flush } = setup();
    await state.load();
    const updates: number[] = [];
    const off = state.messages.subscribe((list) => updates.push(list.length));
    for (let i = 1; i <= 500; i++) fake.deliver(chatMessage(lobby, other, i, i));
    await flush();
    off();
    expect(updates).toEqual([0, 500]);
  });

  it("marks messages of this tab's sessions as own and clears the send error after a success", async () => {
    const { fake, state, flush } = setup();
    await state.load();
    fake.failNextSend(new Error('not ready'));
    expect(await state.send('first')).toBe(false);
    expect(state.sendError.value).toBe('not ready');
    expect(await state.send('hello')).toBe(true);
    await flush();
    expect(state.sendError.value).toBeNull();
    expect(state.messages.value.map((m) => [m.body, state.isOwn(m)])).toEqual([['hello', true]]);
    fake.deliver(chatMessage(lobby, other, 1, 5000));
    fake.deliver(chatMessage(lobby, peerId(9), 1, 6000)); // this tab, before a reload
    await flush();
    expect(state.messages.value.map((m) => state.isOwn(m))).toEqual([true, false, true]);
  });

  it('renders an own message once: it is shown from the mesh\'s event, not again when the send resolves', async () => {
    const fake = createFakeMesh(lobby, self);
    let renders = 0;
    const state = createChatState({
      room: lobby, ownAuthors: new Set([self]), mesh: fake.mesh, history: arrayHistory([]), serverStatus: signal<SignalingStatus>('connecting'),
      verify: acceptAll,
      // Runs each render at once, like the app's scheduler while it has runs in hand: a second
      // decode of the same message would take a second render slot (at 20 a second, a rate-limited one).
      schedule: (job) => {
        renders++;
        queueMicrotask(job);
      },
    });
    await state.load();
    expect(await state.send('hello')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(bodies(state.messages.value)).toEqual(['hello']);
    expect(renders).toBe(1);
  });

  it('paints the last page first and loads older pages on demand', async () => {
    const stored = Array.from({ length: 7 }, (_, i) => chatMessage(lobby, other, i + 1, i + 1));
    const { state } = setup(stored);
    await state.load();
    expect(bodies(state.messages.value)).toEqual(['message 5', 'message 6', 'message 7']);
    expect(state.hasOlder.value).toBe(true);
    await state.loadOlder();
    await state.loadOlder();
    expect(state.messages.value).toHaveLength(7);
    expect(state.hasOlder.value).toBe(false);
  });

  it('holds back a live message older than the loaded page until that page is loaded', async () => {
    const stored = Array.from({ length: 6 }, (_, i) => chatMessage(lobby, other, i + 1, i * 10 + 10));
    const { fake, state, flush } = setup(stored);
    await state.load();
    const late = chatMessage(lobby, peerId(3), 1, 15, 77);
    fake.deliver(late);
    await flush();
    expect(state.messages.value.some((m) => m.id === late.id)).toBe(false);
    await state.loadOlder();
    // The store holds it by now (the mesh stores before delivering); the test's store does not, so it
    // stays out rather than appearing above a gap.
    expect(bodies(state.messages.value)).toEqual(['message 10', 'message 20', 'message 30', 'message 40', 'message 50', 'message 60']);
  });

  it('holds live messages until the first stored page is in, then shows both', async () => {
    const stored = Array.from({ length: 4 }, (_, i) => chatMessage(lobby, other, i + 1, i + 1));
    const { fake, state, flush } = setup(stored);
    fake.deliver(chatMessage(lobby, peerId(3), 1, 1, 50)); // older than the page that load() will bring
    fake.deliver(chatMessage(lobby, peerId(3), 2, 9, 90));
    await flush();
    expect(state.messages.value).toEqual([]);
    await state.load();
    // Lamport 1 is older than the loaded page (2..4) while older rows exist: it waits for loadOlder.
    expect(bodies(state.messages.value)).toEqual(['message 2', 'message 3', 'message 4', 'message 90']);
  });

  it('counts messages from others that arrive while the tab is hidden, until it is shown', async () => {
    const { fake, state, flush } = setup();
    await state.load();
    state.setVisible(false);
    fake.deliver(chatMessage(lobby, other, 1, 1));
    fake.deliver(chatMessage(lobby, other, 2, 2));
    await state.send('mine');
    await flush();
    expect(state.unread.value).toBe(2);
    expect(documentTitle('lobby', state.unread.value)).toBe('(2) lobby — Shoal');
    state.setVisible(true);
    expect(state.unread.value).toBe(0);
    expect(documentTitle('lobby', 0)).toBe('lobby — Shoal');
  });

  it('describes the server connection and the number of online peers', () => {
    const { fake, state, serverStatus } = setup();
    expect(state.statusText.value).toBe('Connecting… · 0 peers');
    const peer = (n: number, state: PeerInfo['state']): PeerInfo => ({ peerId: peerId(n), name: `p${n}`, fingerprint: 'f', state, rttMs: null });
    fake.setPeers([peer(2, 'online'), peer(3, 'online'), peer(4, 'connecting'), peer(5, 'online')]);
    serverStatus.value = 'connected';
    expect(state.statusText.value).toBe('Connected · 3 peers');
    serverStatus.value = 'reconnecting';
    fake.setPeers([peer(2, 'online')]);
    expect(state.statusText.value).toBe('Reconnecting… · 1 peer');
  });

  it('shows only the newest of the peer lists that arrived before its scheduled update ran', () => {
    const fake = createFakeMesh(lobby, self);
    const updates: Array<() => void> = [];
    const state = createChatState({
      room: lobby, ownAuthors: new Set([self]), mesh: fake.mesh, history: arrayHistory([]), serverStatus: signal<SignalingStatus>('connected'),
      verify: acceptAll, schedulePeers: (update) => void updates.push(update),
    });
    const peer = (n: number): PeerInfo => ({ peerId: peerId(n), name: `p${n}`, fingerprint: 'f', state: 'online', rttMs: null });
    fake.setPeers([peer(2)]);
    fake.setPeers([peer(2), peer(3)]);
    expect(state.peers.value).toEqual([]);
    expect(updates).toHaveLength(1);
    updates.shift()?.();
    expect(state.peers.value.map((p) => p.name)).toEqual(['p2', 'p3']);
    fake.setPeers([peer(4)]);
    expect(updates).toHaveLength(1);
  });

  it('passes the name on to the mesh and stops listening once disposed', async () => {
    const { fake, state, flush } = setup();
    await state.load();
    state.setName('Ada');
    expect(fake.name()).toBe('Ada');
    state.dispose();
    fake.deliver(chatMessage(lobby, other, 1, 1));
    await flush();
    expect(state.messages.value).toEqual([]);
  });
});

describe('stored messages read back', () => {
  /** Signed messages by one real identity, lamport 1..n. */
  async function signedHistory(n: number): Promise<LegacyMessage[]> {
    const identity = await createIdentity(await generateIdentityKeyPair());
    return Promise.all(
      Array.from({ length: n }, (_, i) => {
        const { signature: _placeholder, ...unsigned } = chatMessage(lobby, other, i + 1, i + 1);
        return signChatMessage(identity, { ...unsigned, publicKey: identity.publicKey });
      }),
    );
  }
  const verifier = createSignatureVerifier();
  const verify = async (message: RoomEvent) => (await verifyEvent(verifier, message)) === 'ok';

  it('drops and counts a tampered row on the first page, and shows the rest', async () => {
    const stored = await signedHistory(5);
    stored[3] = { ...stored[3]!, body: 'words the author never wrote' };
    const { state } = setup(stored, 3, verify);
    await state.load();
    expect(bodies(state.messages.value)).toEqual(['message 3', 'message 5']);
    expect(state.storedRejected.value).toBe(1);
  });

  it('verifies older pages too, and does not read a dropped row twice', async () => {
    const stored = await signedHistory(7);
    stored[0] = { ...stored[0]!, signature: stored[1]!.signature }; // another message's valid signature
    stored[4] = { ...stored[4]!, name: 'mallory' };
    const { state } = setup(stored, 3, verify);
    await state.load(); // 5, 6, 7: message 5 is bad and the oldest read
    expect(bodies(state.messages.value)).toEqual(['message 6', 'message 7']);
    await state.loadOlder(); // 2, 3, 4
    await state.loadOlder(); // 1 (bad)
    expect(bodies(state.messages.value)).toEqual(['message 2', 'message 3', 'message 4', 'message 6', 'message 7']);
    expect(state.storedRejected.value).toBe(2);
    expect(state.hasOlder.value).toBe(false);
  });

  it('treats a verifier failure as a bad signature', async () => {
    const stored = await signedHistory(3);
    // One failure thrown synchronously, as a plain function may, the other as a rejection.
    const { state } = setup(stored, 3, (message) => {
      if (message.seq === 1) throw new Error('bad key bytes');
      return message.seq === 2 ? Promise.reject(new Error('key import failed')) : Promise.resolve(true);
    });
    await state.load();
    expect(bodies(state.messages.value)).toEqual(['message 3']);
    expect(state.storedRejected.value).toBe(2);
  });
});


describe('a tab left open', () => {
  it('holds at most maxLoaded rows in memory and can read the dropped ones back', async () => {
    const stored: LegacyMessage[] = [];
    const fake = createFakeMesh(lobby, self);
    const queue: Array<() => void> = [];
    const state = createChatState({
      // The store as it is when read: every delivered message was stored before it was delivered.
      room: lobby, ownAuthors: new Set(), mesh: fake.mesh, serverStatus: signal<SignalingStatus>('connected'),
      history: { recent: (r, limit) => arrayHistory(stored).recent(r, limit), before: (r, at, limit) => arrayHistory(stored).before(r, at, limit) },
      pageSize: 10, maxLoaded: 50, verify: acceptAll, schedule: (fn) => void queue.push(fn),
    });
    await state.load();
    for (let i = 1; i <= 120; i++) {
      const message = chatMessage(lobby, other, i, i);
      stored.push(message);
      fake.deliver(message);
      await new Promise((resolve) => setTimeout(resolve, 0));
      while (queue.length > 0) queue.shift()?.();
    }
    expect(state.messages.value).toHaveLength(50);
    expect(state.messages.value[0]?.seq).toBe(71);
    expect(state.hasOlder.value).toBe(true);
    await state.loadOlder();
    expect(state.messages.value[0]?.seq).toBe(61);
  });
});
