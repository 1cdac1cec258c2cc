import * as v from 'valibot';
import { toBase64url } from '../crypto/base64url';
import { signEvent, streamIdOf } from '../crypto/event-signature';
import { randomBytes } from '../crypto/web-crypto';
import type { PeerId } from '../ids';
import { MAX_BODY_CHARS, MAX_HISTORY_BATCH, MAX_NAME_CHARS, MAX_PASSIVE_PER_SOURCE, MAX_PASSIVE_VIEW } from '../protocol/limits';
import { AUTHOR_ONLY_KINDS, EventKindSchema, type SignedEvent, TARGETED_KINDS } from '../protocol/room-events';
import type { PeerMessage } from '../protocol/peer-messages';
import { createFilePorts } from './file-ports';
import { buildHello, createLinkHandshake, type HandshakeContext } from './handshake';
import { createHeartbeat } from './heartbeat';
import { createHeldSeqsTracker } from './held-seqs';
import { createHistorySync } from './history-sync';
import { createLamportClock } from './lamport';
import { createLinkBudget } from './link-budget';
import { createLinkSession, type LinkSession } from './link-session';
import type { Mesh, MeshDeps, MeshEvents, MeshOptions, PeerState } from './mesh-api';
import { createMeshBudgets } from './mesh-budgets';
import { DEFAULT_MESH_OPTIONS, zeroCounters } from './mesh-defaults';
import { type LinkCloseReason, MeshError } from './mesh-errors';
import { createMeshBroadcast } from './mesh-broadcast';
import { createMembership } from './membership';
import { createMessageIntake } from './message-intake';
import { createOwnWrites } from './own-writes';
import { createPassiveView } from './passive-view';
import { createPeerExchange } from './peer-exchange';
import { createPeerTable } from './peer-table';
import { createRelayedSignaling, type RelayedSignaling } from './relayed-signaling';
import { createRoomGate, type RoomGate } from './room-gate';
import { createSeenCache } from './seen-cache';
import { openByPeerOf, openOf, peerStateOf } from './session-views';
import { createTopology } from './topology';
import { createTypingRelay } from './typing';
import { createEmitter } from './typed-emitter';

const exhaustive = (message: never): never => {
  throw new Error(`unhandled peer message ${JSON.stringify(message)}`);
};

const randomNonce = (): string => toBase64url(randomBytes(16));

/** Big rooms: a member's own topology announcements are spaced at least this per member of the room. */
const TOPOLOGY_MS_PER_MEMBER = 20;
/**
 * Big rooms: a member's own topology refreshes are spaced at least this per member of the room. Each
 * refresh reaches every member, so at a fixed interval the room's refreshes cost each member bytes in
 * proportion to the room (20 KB/s at 200 members, 38 KB/s at 400 in the simulation, pings every second);
 * spaced by room size they cost the same at any size. At 150 ms (the 30 s default up to 200 members)
 * they were still 86 % of what an idle member sent (18 of 21 KB/s at 200: each entry ~675 bytes, ~4
 * copies of each per member); at 450 ms a member refreshes every 90 s at 200 members and its entry
 * expires 4.5 minutes after it left. The list is for the debug view and the room's size (which
 * matters near fullMeshUpTo, far below such rooms); a member's own changes still go out within 5-20 s.
 */
const TOPOLOGY_REFRESH_MS_PER_MEMBER = 450;
/**
 * Entries expire after this many of the receiver's own refresh intervals: a sender refreshes by its own
 * estimate of the room's size, and members' estimates differ by far less than this factor.
 */
const TOPOLOGY_EXPIRY_REFRESHES = 3;
/**
 * Big rooms: links each relayed topology entry goes to. Four of a member's ~8–16 links still reach
 * every member with rare misses (the next refresh repairs them) and bring most entries over two links.
 */
const TOPOLOGY_RELAY_FANOUT = 4;

/**
 * The mesh of one room: adopts links, authenticates them, floods signed chat messages with
 * de-duplication, keeps links alive with pings and fills gaps with history sync. All I/O is injected.
 */
export function createMesh(deps: MeshDeps): Mesh {
  const options: MeshOptions = { ...DEFAULT_MESH_OPTIONS, ...deps.options };
  const batchSize = Math.max(1, Math.min(options.historyBatchSize, MAX_HISTORY_BATCH));
  const { clock, store, room } = deps;
  // Names longer than the wire allows would get every hello refused: clamp instead.
  const self = { peerId: deps.self.peerId, name: deps.self.name.slice(0, MAX_NAME_CHARS) };
  const ctx: HandshakeContext = { self, room, identity: deps.identity, verifier: deps.verifier };
  const onError = deps.onError ?? ((error: unknown) => void Promise.reject(error));
  const newNonce = deps.newNonce ?? randomNonce;
  const counters = zeroCounters();
  const events = createEmitter<MeshEvents>(onError);
  const sessions = new Set<LinkSession>();
  const lamport = createLamportClock(clock.now);
  const seen = createSeenCache({ maxEntries: options.seenMaxEntries, ttlMs: options.seenTtlMs, clock });
  let seq = 0;
  let serial = 0;
  let closed = false;

  const openSessions = (): LinkSession[] => openOf(sessions);
  const openByPeer = (): Map<PeerId, LinkSession> => openByPeerOf(sessions);
  const stateOf = (peerId: PeerId): PeerState => peerStateOf(sessions, peerId);
  const peers = createPeerTable({ stateOf, maxOffline: options.maxOfflinePeers });
  const emitPeers = (): void => events.emit('peers', peers.list());

  const files = createFilePorts<LinkSession>();
  const budgets = createMeshBudgets({
    now: clock.now, banMs: options.banMs, maxAuthors: options.maxKnownAuthors,
    onThrottled: (publicKey, author, until) => events.emit('author-throttled', { publicKey, author, until }),
    onBanned: (peerId, until, reason) => events.emit('peer-banned', { peerId, until, reason }),
  });
  const banned = (peerId: PeerId): boolean => budgets.bannedUntil(peerId) !== null;

  const typing = createTypingRelay({ clock, openLinks: () => openSessions(), emit: (event) => events.emit('typing', event) });
  const held = createHeldSeqsTracker();
  const intake = createMessageIntake({
    room, seen, verifier: deps.verifier, store, lamport, counters, maxAuthors: options.maxKnownAuthors,
    deliver: (message) => {
      held.add(message.author, message.seq);
      events.emit('message', message);
    },
  });
  const sync = createHistorySync<LinkSession>({
    room, store, counters, batchSize, newestFirst: Math.max(0, options.historyNewestFirst), now: clock.now,
    pullBudget: options.historyPullBudget, answerBudget: options.historyAnswerBudget,
    sendRequest: (s, vector, heldSeqs, limit) =>
      s.send({ type: 'history-req', vector, ...(heldSeqs && { held: heldSeqs }), ...(limit !== undefined && { limit }) }),
    heldAbove: held.above,
    sendBatch: (s, messages, more) => s.send({ type: 'history-batch', messages, more }),
    acceptAll: async (messages, s) => {
      const outcomes = await intake.acceptAll(messages, budgets.admitHistory);
      broadcast.announceSynced(messages.filter((_, k) => outcomes[k] === 'new'), s);
      return outcomes;
    },
    openSessions,
    strike: (s) => s.strike(),
  });

  const random = deps.random ?? Math.random;
  const relayed: RelayedSignaling<LinkSession> = createRelayedSignaling<LinkSession>({
    self: self.peerId, room, identity: deps.identity, verifier: deps.verifier, counters, newId: deps.newId,
    isOpen: (peerId) => openByPeer().has(peerId), peerOf: (s) => s.hello?.peerId,
    hasOpenLinks: () => openSessions().length > 0, send: (frame): boolean => exchange.relay(frame),
    emit: (payload) => events.emit('relay-signal', payload), onError,
    ttlTicks: options.maxMissedPongs + 2, maxKnownPeers: options.maxKnownAuthors,
  });
  /** Links set up through relayed signals: the key those were signed with, which the hello must prove. */
  const relayKeys = new Map<LinkSession, string>();
  const [firstProof, ...otherProofs] = deps.roomProofs ?? [];
  const gate: RoomGate<LinkSession> | null = firstProof
    ? createRoomGate<LinkSession>({
        room, self: self.peerId, proofs: [firstProof, ...otherProofs], counters,
        nonceOf: (s) => s.myNonce, expectedPeerOf: (s) => s.expectedPeer,
        send: (s, message) => s.send(message), strike: (s) => s.strike(), close: (s, reason) => s.close(reason),
        onPassed: (s) => sendHello(s),
        onMismatch: (peerId) => events.emit('room-key-mismatch', { peerId }),
      })
    : null;

  function sendHello(s: LinkSession): void {
    const hello = buildHello(ctx, s.myNonce);
    s.helloName = hello.name;
    s.send(hello);
  }

  const ticksOf = (ms: number): number => (ms > 0 ? Math.max(1, Math.round(ms / options.pingIntervalMs)) : 0);
  const passive = createPassiveView({ maxEntries: MAX_PASSIVE_VIEW, maxPerSource: MAX_PASSIVE_PER_SOURCE, random });
  const membership = createMembership<LinkSession>({
    self: self.peerId, passive, openByPeer, send: (s, message) => s.send(message), newWalkId: newNonce, random,
    shuffleTicks: ticksOf(options.shuffleMs),
  });
  const exchange = createPeerExchange<LinkSession>({
    self: self.peerId, passive, openByPeer, gossipedRoomSize: (): number => topology.roomSize(),
    connecting: (peerId) => stateOf(peerId) === 'connecting',
    send: (s, message) => s.send(message),
    wantLink: (peerId, via) => !banned(peerId) && events.emit('want-link', { peerId, via }),
    deliverSignal: (frame, via) => relayed.deliver(frame, via),
    seen: createSeenCache({ maxEntries: options.seenMaxEntries, ttlMs: options.seenTtlMs, clock }),
    random, hopLimit: options.hopLimit,
    fullMeshUpTo: options.fullMeshUpTo, targetDegree: options.targetDegree, retryTicks: options.maxMissedPongs + 2,
    refreshTicks: ticksOf(options.linkRefreshMs),
    maxDegree: deps.options?.maxDegree ?? 2 * options.targetDegree, minDegree: Math.min(options.minDegree, options.targetDegree),
    // Trees and self-shedding came in one release: a peer that speaks one does the other.
    shedsOwnLinks: (peer) => tree.speaksTrees(peer),
    close: (s, reason) => s.close(reason),
  });

  const broadcast = createMeshBroadcast({
    room, store, options, counters, clock, has: seen.has, openSessions, openByPeer, bigRoom: () => exchange.bigRoom(),
    accept: (message) => intake.accept(message, budgets.admitLive),
  });
  const { tree, treeOn } = broadcast;

  const ownWrites = createOwnWrites({ store, onError });

  const topologyRefreshMs = (): number =>
    exchange.bigRoom() ? Math.max(options.topologyRefreshMs, exchange.roomSize() * TOPOLOGY_REFRESH_MS_PER_MEMBER) : options.topologyRefreshMs;
  const topology = createTopology<LinkSession>({
    self: () => self, now: clock.now, openByPeer, send: (s, message) => s.send(message),
    refreshMs: topologyRefreshMs, expireMs: () => TOPOLOGY_EXPIRY_REFRESHES * topologyRefreshMs(),
    relayFanout: () => (exchange.bigRoom() ? TOPOLOGY_RELAY_FANOUT : Infinity),
    treeLinks: () => new Set(treeOn() ? [...openByPeer().keys()].filter((peer) => tree.isEager(peer)) : []),
    // Each announcement reaches every member (over up to four of its links): in a big room a member
    // announces a change at most every 5 s (a sixth of the refresh), and once per TOPOLOGY_MS_PER_MEMBER
    // per member past that, so what the room's announcements cost each member per second stays flat.
    minAnnounceMs: (): number => {
      if (!exchange.bigRoom()) return 0;
      return Math.min(options.topologyRefreshMs, Math.max(options.topologyRefreshMs / 6, exchange.roomSize() * TOPOLOGY_MS_PER_MEMBER));
    },
  });

  // Our stream continues across reloads: its seq resumes from storage (a stored value the clock would
  // not admit, such as a poisoned or unreadable row, is ignored by observe).
  let stream = '';
  const ready = streamIdOf(deps.verifier, deps.identity.publicKey, deps.self.streamSlot ?? 0).then(async (id) => {
    stream = id;
    const [maxLamport, vector] = await Promise.all([store.maxLamport(room), store.vector(room)]);
    lamport.observe(maxLamport);
    seq = Math.max(seq, vector[stream] ?? 0);
  });
  // A store failing here (or closed under a mesh still starting) is reported like any store error;
  // unobserved, the rejection would end a Node process. `publish` still sees it through `await ready`.
  ready.catch(onError);

  const handshake = createLinkHandshake({
    ctx, counters, banned, relayKeyOf: (s) => relayKeys.get(s), openSessions,
    bindAuthor: (peerId, publicKey) => intake.bindAuthor(peerId, publicKey, true),
    onVersionMismatch: (peerId, version) => events.emit('version-mismatch', { peerId, version }),
    onHello(peerId, name) {
      peers.update(peerId, { name });
      emitPeers();
    },
    onOpen: linkOpened,
  });

  /** The handshake is done: the link joins heartbeats, peer exchange, the tree, topology, files and sync. */
  function linkOpened(s: LinkSession): void {
    const hello = s.hello;
    if (!hello) return;
    relayed.linked(hello.peerId, hello.publicKey);
    s.heartbeat = createHeartbeat({
      clock, maxMissedPongs: options.maxMissedPongs, newNonce,
      sendPing: (nonce, t) => s.send({ type: 'ping', nonce, t }),
      onRtt: (rttMs) => {
        peers.update(hello.peerId, { rttMs });
        emitPeers();
      },
      onDead: () => s.close('PING_TIMEOUT'),
    });
    // The first ping leaves at the next interval, not now: the handshake just proved the link alive, and
    // a ping and a pong per link per side were a fifth of a forming room's frames (issue 14).
    peers.update(hello.peerId, { name: hello.name, fingerprint: s.fingerprint });
    emitPeers();
    // setName reaches open links only: a rename while this one was handshaking would be lost.
    if (s.helloName !== self.name) s.send({ type: 'name', name: self.name });
    exchange.onOpen(s);
    tree.linkUp(hello.peerId, treeOn());
    topology.onOpen(s);
    topology.changed();
    files.opened(s);
    void sync.start(s).catch(onError);
  }

  async function handle(s: LinkSession, message: PeerMessage): Promise<void> {
    // Private rooms: nothing reaches the handshake before the room key is proven.
    if (gate && !(await gate.screen(s, message))) return;
    if (message.type === 'hello' || message.type === 'hello-proof') return handshake.onFrame(s, message);
    // Nothing but the handshake is accepted from a link that has not proven who it is.
    if (s.state !== 'open' || !s.hello) {
      counters.malformedDropped++;
      return s.strike();
    }
    switch (message.type) {
      case 'chat':
        return broadcast.receive(s, message);
      case 'name':
        peers.update(s.hello.peerId, { name: message.name });
        return emitPeers();
      case 'history-req':
        return sync.onRequest(s, message.vector, message.held, message.limit);
      case 'history-batch':
        return sync.onBatch(s, message.messages, message.more);
      case 'getaddr':
        return exchange.onGetAddr(s);
      case 'addr':
        return exchange.onAddr(s, message.peers, s.hello.peerId);
      case 'topology':
        counters.topologyClaimsDropped += topology.onEntries(s, s.hello.peerId, message.entries);
        return;
      case 'degree-full':
        return exchange.onDegreeFull(s, message.peers, s.hello.peerId);
      case 'relay-signal':
        return exchange.onRelay(s, message);
      case 'ihave':
      case 'graft':
      case 'prune':
        return broadcast.onTreeFrame(s, message);
      case 'shuffle':
        return membership.onShuffle(s, s.hello.peerId, message.walk, message.ttl, message.peers);
      case 'shuffle-reply':
        return membership.onShuffleReply(s, s.hello.peerId, message.walk, message.peers);
      case 'typing':
        return typing.onFrame(s.hello.peerId, message.showMs);
      case 'file-query':
      case 'file-have':
      case 'file-none':
      case 'file-hashes-req':
      case 'file-req':
        return files.frame(s, message);
      case 'room-auth':
      case 'room-proof':
        // Only private rooms (the gate) expect these, and only before the hello.
        return s.strike();
      case 'ping':
      case 'pong':
        return;
      default:
        return exhaustive(message);
    }
  }

  function handleNow(s: LinkSession, message: PeerMessage): boolean {
    if (message.type === 'ping') {
      // Not even a pong before the room key is proven (an honest peer pings only after that).
      if (gate?.passed(s) !== false) s.send({ type: 'pong', nonce: message.nonce, t: message.t });
      return true;
    }
    if (message.type === 'pong') {
      s.heartbeat?.onPong(message.nonce);
      return true;
    }
    s.heartbeat?.heard();
    return false;
  }

  function onClosed(s: LinkSession, reason: LinkCloseReason): void {
    sessions.delete(s);
    relayKeys.delete(s);
    gate?.forget(s);
    sync.forget(s);
    files.closed(s);
    if (s.hello) exchange.onClosed(s.hello.peerId);
    // A duplicate link closing leaves the peer's other link (and its tree state) in place.
    if (s.hello && !openByPeer().has(s.hello.peerId)) tree.linkDown(s.hello.peerId);
    topology.onClosed(s);
    topology.changed();
    if (s.hello) budgets.onClosed(s.hello.peerId, s.heartbeat !== null, reason);
    const peerId = s.hello?.peerId ?? s.expectedPeer ?? null;
    if (peerId) emitPeers();
    if (s.hello) typing.onClosed(s.hello.peerId);
    events.emit('link-closed', { peerId: s.hello?.peerId ?? null, reason });
  }

  async function publish(draft: { kind: string; body: string; target?: string }): Promise<SignedEvent> {
    if (closed) throw new MeshError('MESH_CLOSED', 'the mesh is closed');
    if (draft.kind === 'text' && draft.body.length === 0) throw new MeshError('BODY_EMPTY', 'message body is empty');
    if (draft.body.length > MAX_BODY_CHARS) throw new MeshError('BODY_TOO_LONG', `body exceeds ${MAX_BODY_CHARS} characters`);
    if (!v.is(EventKindSchema, draft.kind) || TARGETED_KINDS.has(draft.kind) !== (draft.target !== undefined)) {
      throw new MeshError('BAD_EVENT', `a ${draft.kind} event ${TARGETED_KINDS.has(draft.kind) ? 'needs' : 'takes no'} target`);
    }
    await ready;
    if (AUTHOR_ONLY_KINDS.has(draft.kind) && draft.target !== undefined) {
      const target = await store.get(room, draft.target);
      if (target?.publicKey !== deps.identity.publicKey) throw new MeshError('NOT_AUTHOR', `only its author may ${draft.kind} an event`);
    }
    const event = await signEvent(deps.identity, deps.verifier, stream, {
      room, seq: ++seq, lamport: lamport.tick(), sentAt: clock.now(), kind: draft.kind, body: draft.body,
      ...(draft.target !== undefined && { target: draft.target }),
    });
    intake.markOwn(event);
    // The write starts first (its transaction is queued) but nothing waits for it before the flood:
    // a durable write can take tens of ms behind other tabs' writes (e2e findings, item 1).
    const written = ownWrites.write(event);
    counters.delivered++;
    events.emit('message', event);
    broadcast.flood(event, null, 0);
    await written;
    for (const gone of await intake.applyOwnDelete(event)) events.emit('message', gone);
    return event;
  }

  const timer = clock.setInterval(() => {
    for (const s of [...sessions]) {
      if (s.state === 'open') s.heartbeat?.tick();
      else if (++s.handshakeTicks > options.maxMissedPongs) s.close('HANDSHAKE_TIMEOUT');
    }
    exchange.tick();
    if (treeOn()) tree.tellAll();
    membership.tick(exchange.bigRoom());
    relayed.tick();
    void ownWrites.retry();
    if (topology.tick() && events.listened('topology')) events.emit('topology', topology.list());
    const open = openSessions();
    const polled = open[Math.floor(random() * open.length)];
    if (polled) void sync.poll(polled).catch(onError);
  }, options.pingIntervalMs);

  return {
    addLink(link, expectedPeer, expectedKey) {
      if (closed) return link.close();
      const s = createLinkSession({
        serial: ++serial, link, expectedPeer, myNonce: newNonce(), counters, handle, handleNow, onClosed, onError,
        // Binary frames are file bytes: only an open link may send them, and only a swarm that asked takes them.
        handleBytes(session, bytes) {
          if (session.state !== 'open' || !files.bytes(session, bytes)) return session.strike();
          session.heartbeat?.heard();
        },
        budget: createLinkBudget(clock.now),
      });
      sessions.add(s);
      if (expectedKey !== undefined) relayKeys.set(s, expectedKey);
      if (expectedPeer) {
        peers.update(expectedPeer, {});
        emitPeers();
      }
      if (gate) s.send(gate.opening(s));
      else sendHello(s);
    },
    send: (body) => publish({ kind: 'text', body }),
    publish,
    async ingest(events) {
      if (closed) throw new MeshError('MESH_CLOSED', 'the mesh is closed');
      await ready;
      const report = { accepted: 0, duplicates: 0, refused: 0 };
      for (const outcome of await intake.acceptAll(events)) {
        if (outcome === 'new') report.accepted++;
        else if (outcome === 'duplicate') report.duplicates++;
        else report.refused++;
      }
      return report;
    },
    roomSize: () => exchange.roomSize(),
    relaySignal: (to, data) => !closed && relayed.relay(to, data),
    sendTyping: (active) => !closed && typing.send(active),
    setName(name) {
      self.name = name.slice(0, MAX_NAME_CHARS);
      for (const s of openSessions()) s.send({ type: 'name', name: self.name });
      topology.changed();
    },
    peers: () => peers.list(),
    topology: () => topology.list(),
    counters: () => ({ ...counters }),
    bannedUntil: budgets.bannedUntil,
    memory: () => ({ links: sessions.size, seenIds: seen.size(), knownAuthors: intake.knownAuthors(), topologyPeers: topology.size(), gossipedRoomSize: topology.roomSize() }),
    attachFiles: (handler) => files.attach(handler, openSessions()),
    requestLink(peerId) {
      if (closed || peerId === self.peerId || openByPeer().has(peerId) || banned(peerId)) return false;
      events.emit('want-link', { peerId, via: self.peerId });
      return true;
    },
    on: events.on,
    close() {
      if (closed) return;
      closed = true;
      clock.clearInterval(timer);
      tree.close();
      typing.close();
      for (const s of [...sessions]) s.close('MESH_CLOSED');
    },
  };
}
