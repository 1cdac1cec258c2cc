import { useEffect, useRef } from 'preact/hooks';

/** The emoji the picker offers, in this order. */
export const REACTION_EMOJI: readonly string[] = ['👍', '❤️', '😂', '😮', '😢', '🎉'];

export interface ReactionPickerProps {
  /** Emoji this reader already put on the message: picking one again takes it back. */
  mine: ReadonlySet<string>;
  pick(emoji: string): void;
  close(): void;
}

/** A small row of emoji buttons, each named by its emoji; Esc closes it, focus starts on the first. */
export function ReactionPicker({ mine, pick, close }: ReactionPickerProps) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      class="picker"
      role="group"
      aria-label="Pick a reaction"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          close();
        }
      }}
    >
      {REACTION_EMOJI.map((emoji, index) => (
        <button
          key={emoji}
          type="button"
          class="ghost emoji"
          ref={index === 0 ? first : undefined}
          aria-pressed={mine.has(emoji)}
          onClick={() => {
            pick(emoji);
            close();
          }}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}
