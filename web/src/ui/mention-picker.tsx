import { useState } from 'preact/hooks';
import { mentionChoices, mentionQuery } from '../state/mentions';

/** Id of the listbox, for the textarea's aria-controls. */
export const MENTION_LIST_ID = 'mention-choices';

export interface MentionPicker {
  /** Names offered now (empty: no list shown). */
  choices: readonly string[];
  active: number;
  /** Recomputes the offer from the draft and caret (call on input and caret moves). */
  update(draft: string, caret: number): void;
  /**
   * Handles a key while names are offered: arrows move, Enter or Tab insert, Esc closes. Returns the
   * new draft and caret when a name was inserted, 'handled' for other consumed keys, null otherwise.
   */
  onKey(key: string, draft: string): { draft: string; caret: number } | 'handled' | null;
  /** Inserts a chosen name (a click on an option). */
  choose(name: string, draft: string): { draft: string; caret: number };
  close(): void;
}

/** "@" in the composer offers the room's names: a combobox's list state, kept apart from the composer. */
export function useMentionPicker(names: () => readonly string[]): MentionPicker {
  const [offer, setOffer] = useState<{ start: number; caret: number; choices: string[] } | null>(null);
  const [active, setActive] = useState(0);
  const choose = (name: string, draft: string) => {
    const start = offer?.start ?? draft.length;
    const caret = offer?.caret ?? draft.length;
    const inserted = `@${name} `;
    setOffer(null);
    return { draft: draft.slice(0, start) + inserted + draft.slice(caret), caret: start + inserted.length };
  };
  return {
    choices: offer?.choices ?? [],
    active,
    update(draft, caret) {
      const query = mentionQuery(draft, caret);
      const choices = query ? mentionChoices(query.query, names()) : [];
      setOffer(query && choices.length > 0 ? { start: query.start, caret, choices } : null);
      setActive(0);
    },
    onKey(key, draft) {
      if (!offer) return null;
      const count = offer.choices.length;
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        setActive((active + (key === 'ArrowDown' ? 1 : count - 1)) % count);
        return 'handled';
      }
      if (key === 'Escape') {
        setOffer(null);
        return 'handled';
      }
      const name = offer.choices[active];
      return (key === 'Enter' || key === 'Tab') && name !== undefined ? choose(name, draft) : null;
    },
    choose,
    close: () => setOffer(null),
  };
}

/** The offered names, above the composer. Options are picked by mouse without stealing focus. */
export function MentionList({ picker, pick }: { picker: MentionPicker; pick(name: string): void }) {
  if (picker.choices.length === 0) return null;
  return (
    <ul class="mentions" id={MENTION_LIST_ID} role="listbox" aria-label="Mention someone">
      {picker.choices.map((name, index) => (
        <li
          key={name}
          id={`${MENTION_LIST_ID}-${index}`}
          role="option"
          aria-selected={index === picker.active}
          onMouseDown={(event) => {
            event.preventDefault();
            pick(name);
          }}
        >
          @{name}
        </li>
      ))}
    </ul>
  );
}
