import { type ReactionCount, type ViewMessage, compareEvents } from '@shoal/shared';

/**
 * Targets whose reactions are remembered; the oldest target is forgotten first. Reactions to messages
 * far outside the loaded window matter little, and a hostile peer could otherwise grow this forever.
 */
export const MAX_REACTION_TARGETS = 10_000;
/** Distinct (emoji, key) pairs kept per target: a thousand people with a handful of emoji each. */
export const MAX_REACTIONS_PER_TARGET = 4_096;

type Latest = Pick<ViewMessage, 'lamport' | 'id' | 'removeReaction'>;

export interface ReactionTable {
  /**
   * Records a reaction event (add or take back). The latest event per (target, emoji, key) in Lamport
   * order wins, whatever order they arrive in. Returns the target when what it shows changed.
   */
  record(view: ViewMessage): string | null;
  /** The counts under `target`, in first-reacted order; empty when none. */
  countsFor(target: string): readonly ReactionCount[];
}

/**
 * Aggregates reactions per message. A reaction is keyed by its author's public key, so only the
 * reacting key can take its own reaction back: a `remove` signed by anyone else only touches their
 * own (non-existent) reaction.
 */
export function createReactionTable(ownKey: (publicKey: string) => boolean): ReactionTable {
  /** target -> `${emoji}\n${publicKey}` -> latest event; Map order keeps first-reacted order. */
  const byTarget = new Map<string, Map<string, Latest>>();

  return {
    record(view) {
      if (view.kind !== 'reaction' || view.target === undefined || view.emoji === undefined || view.problem) return null;
      let entries = byTarget.get(view.target);
      if (!entries) {
        if (byTarget.size >= MAX_REACTION_TARGETS) {
          const oldest = byTarget.keys().next().value;
          if (oldest !== undefined) byTarget.delete(oldest);
        }
        entries = new Map();
        byTarget.set(view.target, entries);
      }
      const key = `${view.emoji}\n${view.publicKey}`;
      const previous = entries.get(key);
      if (previous && compareEvents(previous, view) >= 0) return null;
      if (!previous && entries.size >= MAX_REACTIONS_PER_TARGET) return null;
      entries.set(key, { lamport: view.lamport, id: view.id, removeReaction: view.removeReaction });
      return view.target;
    },
    countsFor(target) {
      const entries = byTarget.get(target);
      if (!entries) return [];
      const counts = new Map<string, { keys: string[]; mine: boolean }>();
      for (const [key, latest] of entries) {
        if (latest.removeReaction) continue;
        const split = key.indexOf('\n');
        const emoji = key.slice(0, split);
        const publicKey = key.slice(split + 1);
        const count = counts.get(emoji) ?? { keys: [], mine: false };
        count.keys.push(publicKey);
        if (ownKey(publicKey)) count.mine = true;
        counts.set(emoji, count);
      }
      return [...counts].map(([emoji, { keys, mine }]) => ({ emoji, count: keys.length, mine, keys }));
    },
  };
}
