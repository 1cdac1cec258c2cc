import type { ReactionCount } from '@shoal/shared';
import { displayName } from './format';

export interface ReactionBarProps {
  messageId: string;
  reactions: readonly ReactionCount[];
  /** Adds the reader's reaction, or takes it back when `mine`. */
  toggle(emoji: string, mine: boolean): void;
  /** The name a key last wrote under ('' when unknown). */
  nameOf(publicKey: string): string;
}

/** Names listed in "who reacted" before "and N more": keeps the tooltip a line or two. */
export const MAX_REACTORS_LISTED = 8;

/** "Ada, Brian and 3 more": who reacted with one emoji, names normalised like everywhere else. */
export function reactorsText(keys: readonly string[], nameOf: (publicKey: string) => string, mine: boolean): string {
  const names = keys.map((key) => nameOf(key)).filter((name) => name !== '').map(displayName);
  const unique = [...new Set(names)];
  if (mine) unique.unshift('you');
  const listed = unique.slice(0, MAX_REACTORS_LISTED);
  const rest = keys.length - listed.length;
  return rest > 0 ? `${listed.join(', ')}${listed.length > 0 ? ' and ' : ''}${rest} ${listed.length > 0 ? 'more' : rest === 1 ? 'person' : 'people'}` : listed.join(', ');
}

/**
 * Reactions under a message: one chip per emoji with its count ("👍 2"). Hovering or focusing a chip
 * shows who reacted; clicking one's own reaction takes it back, clicking another's adds one's own.
 */
export function ReactionBar({ messageId, reactions, toggle, nameOf }: ReactionBarProps) {
  return (
    <ul class="reactions" aria-label="Reactions">
      {reactions.map((reaction, index) => {
        const who = reactorsText(reaction.keys, nameOf, reaction.mine);
        const whoId = `who-${messageId}-${index}`;
        return (
          <li key={reaction.emoji}>
            <button
              type="button"
              class={reaction.mine ? 'chip mine' : 'chip'}
              aria-pressed={reaction.mine}
              aria-describedby={whoId}
              onClick={() => toggle(reaction.emoji, reaction.mine)}
            >
              {reaction.emoji} {reaction.count}
            </button>
            <span class="who" id={whoId} role="tooltip">
              {who ? `Reacted by ${who}` : 'Reacted'}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
