import type { PeerId } from '../ids';
import { MAX_PEER_LIST } from '../protocol/limits';
import type { ChatFrame, PeerMessage } from '../protocol/peer-messages';
import type { RoomEvent } from '../protocol/room-events';
import type { RoomName } from '../protocol/signal-messages';
import { type BroadcastTree, createBroadcastTree } from './broadcast-tree';
import { floodDecision } from './flood';
import type { LinkSession } from './link-session';
import type { Clock, HistoryStore, MeshCounters, MeshOptions } from './mesh-api';
import { type IntakeOutcome, relayAtFault } from './message-intake';

/**
 * History-synced events this recent (by Lamport time, which follows the authors' clocks) are announced
 * down the broadcast tree: a partition of up to a few minutes heals at graft speed.
 */
const SYNCED_ANNOUNCE_WINDOW_MS = 2 * 60_000;

type TreeFrame = Extract<PeerMessage, { type: 'ihave' | 'graft' | 'prune' }>;

/**
 * How events travel between meshes: a chat frame's event is taken in and sent on, big rooms down a
 * broadcast tree (broadcast-tree.ts), full-mesh rooms by the author-pruned flood (one copy per peer).
 */
export interface MeshBroadcast {
  /**
   * A chat frame from an open link: its event is taken in, and a new one sent on; a duplicate prunes
   * the link from the tree (big rooms); a forgery strikes the relay (honest relays verify first).
   */
  receive(s: LinkSession, frame: ChatFrame): Promise<void>;
  /** An `ihave`, `graft` (answered with the events it asks for that we relayed) or `prune` from an open link. */
  onTreeFrame(s: LinkSession, frame: TreeFrame): Promise<void> | void;
  /** The tree's link states (its frames and link events go straight to it). */
  tree: BroadcastTree;
  /** Whether the room sends down the tree now (it is big, and trees are on). */
  treeOn(): boolean;
  /**
   * Sends a new event on (from null: our own). `sentTo` is honoured only on the author's own copy, over
   * the author's own authenticated link: a relay's claim could stop honest peers from forwarding what it
   * never sent, while an author can only ever hold back its own messages.
   */
  flood(message: RoomEvent, from: LinkSession | null, hops: number, sentTo?: readonly PeerId[]): void;
  /**
   * Recent events history sync brought (a partition healed, a relay stayed silent) go on as tree
   * announcements; older history spreads by sync alone, so a newcomer's catch-up is not re-announced.
   */
  announceSynced(gained: readonly RoomEvent[], from: LinkSession): void;
}

export interface MeshBroadcastDeps {
  room: RoomName;
  store: Pick<HistoryStore, 'get'>;
  options: Pick<MeshOptions, 'hopLimit' | 'broadcastTrees' | 'graftTimeoutMs' | 'ihaveBatchMs'>;
  /** Takes in an event that came live (verified, budgeted by its author, stored, delivered). */
  accept(message: RoomEvent): Promise<IntakeOutcome>;
  counters: MeshCounters;
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  /** Whether the event is held already (seen cache). */
  has(id: string): boolean;
  openSessions(): LinkSession[];
  openByPeer(): Map<PeerId, LinkSession>;
  /** Past fullMeshUpTo: the room uses trees (when on). */
  bigRoom(): boolean;
}

export function createMeshBroadcast(deps: MeshBroadcastDeps): MeshBroadcast {
  const { options, counters } = deps;
  const toPeer = (peer: PeerId, message: PeerMessage): boolean => deps.openByPeer().get(peer)?.send(message) ?? false;
  const tree = createBroadcastTree({
    sendIHave: (peer, ids) => toPeer(peer, { type: 'ihave', ids }) && counters.ihaveSent++,
    sendGraft: (peer, ids) => toPeer(peer, { type: 'graft', ids }) && ids.length > 0 && counters.graftsSent++,
    sendPrune: (peer) => toPeer(peer, { type: 'prune' }),
    has: deps.has, clock: deps.clock, graftTimeoutMs: options.graftTimeoutMs, ihaveBatchMs: options.ihaveBatchMs,
  });
  const treeOn = (): boolean => options.broadcastTrees && deps.bigRoom();

  /** Hands a chat frame to a link, counted (a relayed message's copy also as forwarded). */
  function sendChat(s: LinkSession | undefined, frame: ChatFrame, relayed: boolean): void {
    if (!s?.send(frame)) return;
    counters.chatFramesSent++;
    if (relayed) counters.forwarded++;
  }

  /** Eager links get the message, lazy ones an announcement (see broadcast-tree.ts). */
  function pushDownTree(message: RoomEvent, from: LinkSession | null, hops: number): void {
    const open = deps.openByPeer();
    const targets = tree.relay(message.id, from?.hello?.peerId ?? null, hops, [...open.keys()]);
    if (hops >= options.hopLimit) {
      if (targets.length > 0) counters.hopLimitDropped++;
      return;
    }
    const frame: ChatFrame = { type: 'chat', hops: hops + 1, message };
    for (const peer of targets) sendChat(open.get(peer), frame, from !== null);
  }

  function flood(message: RoomEvent, from: LinkSession | null, hops: number, sentTo?: readonly PeerId[]): void {
    if (treeOn()) return pushDownTree(message, from, hops);
    const trusted = hops === 1 && from?.hello?.publicKey === message.publicKey && sentTo !== undefined;
    const reached = new Set(trusted ? sentTo : []);
    const decision = floodDecision(deps.openSessions(), from, hops, options.hopLimit, (s) => s.hello !== null && reached.has(s.hello.peerId));
    if (decision.hopLimited) counters.hopLimitDropped++;
    const targets = from === null ? decision.forwardTo.flatMap((s) => (s.hello ? [s.hello.peerId] : [])) : [];
    const frame: ChatFrame = {
      type: 'chat', hops: decision.hops, message,
      ...(from === null && targets.length <= MAX_PEER_LIST && { sentTo: targets }),
    };
    for (const s of decision.forwardTo) sendChat(s, frame, from !== null);
  }

  /** A graft asked for events we relayed: each goes back as a chat frame, hops as we got it plus one. */
  async function answerGraft(s: LinkSession, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const message = await deps.store.get(deps.room, id);
      if (message) sendChat(s, { type: 'chat', hops: Math.min(options.hopLimit, (tree.hopsOf(id) ?? 0) + 1), message }, false);
    }
  }

  return {
    tree,
    treeOn,
    flood,
    async receive(s, frame) {
      const peer = s.hello?.peerId;
      if (peer === undefined) return;
      counters.chatFramesReceived++;
      if (frame.hops > options.hopLimit) {
        counters.hopLimitDropped++;
        return;
      }
      const outcome = await deps.accept(frame.message);
      if (outcome === 'new') {
        counters.chatDelivered++;
        flood(frame.message, s, frame.hops, frame.sentTo);
      } else if (outcome === 'duplicate' && treeOn()) tree.onDuplicate(peer);
      else if (relayAtFault(outcome)) s.strike();
    },
    onTreeFrame(s, frame) {
      const peer = s.hello?.peerId;
      if (peer === undefined) return;
      switch (frame.type) {
        case 'ihave':
          counters.ihaveReceived++;
          return tree.onIHave(peer, frame.ids);
        case 'graft':
          if (frame.ids.length > 0) counters.graftsReceived++;
          return answerGraft(s, tree.onGraft(peer, frame.ids));
        case 'prune':
          return tree.onPrune(peer);
      }
    },
    announceSynced(gained, from) {
      if (!treeOn() || !from.hello) return;
      const recentFrom = deps.clock.now() - SYNCED_ANNOUNCE_WINDOW_MS;
      const linked = [...deps.openByPeer().keys()];
      for (const event of gained) if (event.lamport >= recentFrom) tree.announce(event.id, from.hello.peerId, linked);
    },
  };
}
