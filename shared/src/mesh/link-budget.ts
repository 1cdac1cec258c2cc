import { LINK_BYTE_BUDGET, LINK_FILE_BYTE_BUDGET, LINK_FILE_FRAME_BUDGET, LINK_FRAME_BUDGET, LINK_OVERAGE_BUDGET } from '../protocol/limits';
import { FILE_MESSAGE_TYPES, type PeerMessageType } from '../protocol/peer-messages';
import { type BucketRate, createTokenBucket } from './token-bucket';

/** What to do with one inbound frame. */
export type LinkVerdict = 'admit' | 'drop' | 'close';

/** Inbound budget of one link: frames and bytes per second for every frame type. */
export interface LinkBudget {
  /** Charges one parsed frame; `drop` when over budget, `close` once the link kept exceeding it. */
  charge(type: PeerMessageType, bytes: number): LinkVerdict;
}

export interface LinkBudgetRates {
  frames: BucketRate;
  bytes: BucketRate;
  /** File control frames (`file-*`), charged to these instead of the two above. */
  fileFrames: BucketRate;
  fileBytes: BucketRate;
  overage: BucketRate;
}

export const DEFAULT_LINK_BUDGET_RATES: LinkBudgetRates = {
  frames: LINK_FRAME_BUDGET, bytes: LINK_BYTE_BUDGET, fileFrames: LINK_FILE_FRAME_BUDGET, fileBytes: LINK_FILE_BYTE_BUDGET, overage: LINK_OVERAGE_BUDGET,
};

const FILE_TYPES: ReadonlySet<PeerMessageType> = new Set(FILE_MESSAGE_TYPES);

/**
 * `history-batch` bytes are not charged here: a batch is only accepted as the answer to our own
 * request, and what we pull is bounded by the history pull budget; charging them would stall an
 * honest 10,000-message sync. Its frame still counts.
 */
export function createLinkBudget(now: () => number, rates: LinkBudgetRates = DEFAULT_LINK_BUDGET_RATES): LinkBudget {
  const chat = { frames: createTokenBucket(rates.frames, now), bytes: createTokenBucket(rates.bytes, now) };
  const files = { frames: createTokenBucket(rates.fileFrames, now), bytes: createTokenBucket(rates.fileBytes, now) };
  const overage = createTokenBucket(rates.overage, now);
  return {
    charge(type, size) {
      // A transfer's requests never eat into chat's budget, nor chat into a transfer's.
      const { frames, bytes } = FILE_TYPES.has(type) ? files : chat;
      // Both buckets are checked before either is charged, so a refused frame costs no budget.
      const charged = type === 'history-batch' ? 0 : size;
      if (frames.level() >= 1 && bytes.level() >= charged) {
        frames.take(1);
        bytes.take(charged);
        return 'admit';
      }
      return overage.take(1) ? 'drop' : 'close';
    },
  };
}
