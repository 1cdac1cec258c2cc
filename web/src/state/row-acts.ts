import { compareEvents, remember } from '@shoal/shared';
import type { ViewMessage } from '@shoal/shared';
import { createReactionTable } from './reaction-table';

/** Edits and deletes remembered for rows that are not loaded (yet); the oldest are forgotten first. */
const MAX_REMEMBERED_ACTS = 10_000;

/**
 * What later events do to a log row: its author's edit or delete, and everyone's reactions. They may
 * arrive before or after the row (history sync, paging), so they are remembered by target id.
 */
export interface RowActs {
  /** Takes in any decoded event; returns the id of the row whose display it changed, or null. */
  record(view: ViewMessage): string | null;
  /** A row with the edits, deletion and reactions known for it applied. */
  apply(row: ViewMessage): ViewMessage;
  /** The name a key last wrote a text under ('' when none is loaded): reactions carry no name. */
  nameOf(publicKey: string): string;
}

/** `isOwn` tells this tab's events: their key is the reader's, whose reactions the chips mark as "mine". */
export function createRowActs(isOwn: (view: ViewMessage) => boolean): RowActs {
  /** Edits and deletes by target id, kept for rows not loaded yet (bounded; newest edit wins). */
  const acts = new Map<string, { edit?: ViewMessage; deletedBy?: string }>();
  /** Keys this tab has written with: learnt from own events, so no extra dependency is needed. */
  const ownKeys = new Set<string>();
  const reactions = createReactionTable((publicKey) => ownKeys.has(publicKey));
  const names = new Map<string, { lamport: number; name: string }>();

  /** Records an edit or delete; true when it changed what a row shows. */
  const recordAct = (view: ViewMessage): boolean => {
    if (view.target === undefined || view.problem) return false;
    const act = acts.get(view.target) ?? {};
    if (view.kind === 'delete') act.deletedBy = view.publicKey;
    else if (view.kind === 'edit' && (!act.edit || compareEvents(act.edit, view) < 0)) act.edit = view;
    else return false;
    remember(acts, view.target, act, MAX_REMEMBERED_ACTS);
    return true;
  };

  return {
    record(view) {
      if (isOwn(view)) ownKeys.add(view.publicKey);
      if (view.kind === 'text') {
        const last = names.get(view.publicKey);
        if (!view.problem && !view.deleted && (!last || last.lamport <= view.lamport)) names.set(view.publicKey, { lamport: view.lamport, name: view.name });
        return null;
      }
      if (view.kind === 'reaction') return reactions.record(view);
      return recordAct(view) && view.target !== undefined ? view.target : null;
    },
    // Only the author's edit or delete counts (others' are ignored); a deleted row drops its reactions.
    apply(row) {
      const act = acts.get(row.id);
      if (row.deleted && !row.reactions) return row;
      if (act?.deletedBy === row.publicKey || row.deleted) return { ...row, body: '', deleted: true, replyTo: undefined, reactions: undefined };
      const counts = reactions.countsFor(row.id);
      const withReactions = counts.length > 0 || row.reactions ? { ...row, reactions: counts.length > 0 ? counts : undefined } : row;
      if (act?.edit && act.edit.publicKey === row.publicKey) return { ...withReactions, body: act.edit.body, edited: true };
      return withReactions;
    },
    nameOf: (publicKey) => names.get(publicKey)?.name ?? '',
  };
}
