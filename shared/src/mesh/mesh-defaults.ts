import { HISTORY_ANSWER_BUDGET, HISTORY_PULL_BUDGET } from '../protocol/limits';
import type { MeshCounters, MeshOptions } from './mesh-api';

/** Defaults of MeshOptions (documented on the interface). */
export const DEFAULT_MESH_OPTIONS: MeshOptions = {
  pingIntervalMs: 2000,
  maxMissedPongs: 3,
  hopLimit: 16,
  seenMaxEntries: 10_000,
  seenTtlMs: 10 * 60_000,
  historyBatchSize: 500,
  historyNewestFirst: 50,
  historyPullBudget: HISTORY_PULL_BUDGET,
  historyAnswerBudget: HISTORY_ANSWER_BUDGET,
  maxOfflinePeers: 64,
  maxKnownAuthors: 10_000,
  fullMeshUpTo: 32,
  targetDegree: 8,
  linkRefreshMs: 300_000,
  maxDegree: 16,
  minDegree: 3,
  topologyRefreshMs: 30_000,
  broadcastTrees: true,
  graftTimeoutMs: 400,
  ihaveBatchMs: 50,
  shuffleMs: 10_000,
  banMs: 10 * 60_000,
};

/** Every counter at 0. */
export const zeroCounters = (): MeshCounters => ({
  framesSent: 0, framesReceived: 0, bytesSent: 0, bytesReceived: 0, delivered: 0, forwarded: 0, chatFramesSent: 0, chatFramesReceived: 0,
  duplicatesDropped: 0, malformedDropped: 0, badSignatureDropped: 0, hopLimitDropped: 0,
  historyMessagesReceived: 0, historyMessagesSent: 0, authorKeyMismatchDropped: 0, sendFailures: 0,
  handshakeFailures: 0, abusiveLinksClosed: 0, relaySignalsOverCap: 0, relaySignalsBadSignature: 0,
  relaySignalsForOpenLink: 0, relaySignalsKeyConflict: 0, roomProofFailures: 0,
  lamportAheadDropped: 0, forgedEditsDropped: 0,
  overBudgetDropped: 0, overBudgetLinksClosed: 0, bannedLinksRefused: 0, authorThrottledDropped: 0, historyAnswersLimited: 0,
  unsolicitedBatchesDropped: 0, historyPullsLimited: 0, topologyClaimsDropped: 0,
  chatDelivered: 0, ihaveSent: 0, ihaveReceived: 0, graftsSent: 0, graftsReceived: 0,
});
