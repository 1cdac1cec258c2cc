// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signal } from '@preact/signals';
import type { TransferState, ViewMessage } from '@shoal/shared';
import { MessageLog } from '../src/ui/message-log';
import type { MessageActions } from '../src/ui/message-row';
import { REACTION_EMOJI } from '../src/ui/reaction-picker';
import { peerId, room } from './ids';
import { chatMessage } from './messages';
import { manifestOf } from './fake-file-swarm';

const lobby = room('lobby');
const ME = peerId(1);

function message(n: number, fields: Partial<ViewMessage> = {}): ViewMessage {
  const { id, author, publicKey, seq, lamport, sentAt, name, body } = chatMessage(lobby, peerId(n), 1, n);
  return { id, author, publicKey, seq, lamport, sentAt, name, body, kind: 'text', ...fields };
}

function fakeActions() {
  return {
    reply: vi.fn<MessageActions['reply']>(),
    react: vi.fn<MessageActions['react']>(),
    edit: vi.fn<MessageActions['edit']>(),
    remove: vi.fn<MessageActions['remove']>(),
    nameOf: (key: string) => (key === 'ADA' ? 'Ada' : key === 'BRIAN' ? 'Brian' : ''),
  } satisfies MessageActions;
}

function renderLog(messages: ViewMessage[], actions = fakeActions(), ownName = 'Me', firstUnread: string | null = null) {
  render(
    <MessageLog
      messages={messages} isOwn={(m) => m.author === ME} hasOlder={false} loadOlder={async () => {}} contested={new Set()} actions={actions}
      ownName={ownName} firstUnread={firstUnread}
    />,
  );
  return actions;
}

const rowOf = (message: ViewMessage) => {
  const row = document.querySelector<HTMLElement>(`li[data-message-id="${message.id}"]`);
  if (!row) throw new Error(`no row for ${message.id}`);
  return within(row);
};

afterEach(cleanup);

describe('message actions', () => {
  it('offers Reply and React on every message, Edit and Delete only on one’s own, as list items', () => {
    const mine = message(1, { author: ME, body: 'mine' });
    const theirs = message(2, { body: 'theirs' });
    renderLog([mine, theirs]);
    expect(document.querySelectorAll('[role=log] li[data-message-id]')).toHaveLength(2);
    for (const row of document.querySelectorAll('[role=log] li[data-message-id]')) expect(row.tagName).toBe('LI');
    for (const name of ['Reply', 'React', 'Edit', 'Delete']) expect(rowOf(mine).getByRole('button', { name })).toBeTruthy();
    expect(rowOf(theirs).getByRole('button', { name: 'Reply' })).toBeTruthy();
    expect(rowOf(theirs).queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(rowOf(theirs).queryByRole('button', { name: 'Delete' })).toBeNull();
  });

  it('opens a picker of emoji buttons; picking one reacts, picking one’s own again takes it back', () => {
    const target = message(2, { reactions: [{ emoji: '🎉', count: 1, mine: true, keys: ['ME'] }] });
    const actions = renderLog([target]);
    fireEvent.click(rowOf(target).getByRole('button', { name: 'React' }));
    const picker = within(rowOf(target).getByRole('group', { name: 'Pick a reaction' }));
    for (const emoji of REACTION_EMOJI) expect(picker.getByRole('button', { name: emoji })).toBeTruthy();
    fireEvent.click(picker.getByRole('button', { name: '👍' }));
    expect(actions.react).toHaveBeenLastCalledWith(target, '👍', false);
    expect(rowOf(target).queryByRole('group', { name: 'Pick a reaction' })).toBeNull();
    fireEvent.click(rowOf(target).getByRole('button', { name: 'React' }));
    fireEvent.click(rowOf(target).getByRole('button', { name: '🎉' }));
    expect(actions.react).toHaveBeenLastCalledWith(target, '🎉', true);
  });

  it('shows reactions with counts and who reacted; clicking one’s own chip removes it', () => {
    const target = message(2, {
      reactions: [
        { emoji: '👍', count: 2, mine: false, keys: ['ADA', 'BRIAN'] },
        { emoji: '❤️', count: 1, mine: true, keys: ['ME'] },
      ],
    });
    const actions = renderLog([target]);
    const thumbs = rowOf(target).getByRole('button', { name: '👍 2' });
    expect(thumbs.getAttribute('aria-pressed')).toBe('false');
    const describedBy = thumbs.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toBe('Reacted by Ada, Brian');
    const heart = rowOf(target).getByRole('button', { name: '❤️ 1' });
    expect(heart.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(heart);
    expect(actions.react).toHaveBeenLastCalledWith(target, '❤️', true);
    fireEvent.click(thumbs);
    expect(actions.react).toHaveBeenLastCalledWith(target, '👍', false);
  });

  it('asks before deleting, and Cancel keeps the message', () => {
    const mine = message(1, { author: ME, body: 'to be deleted' });
    const actions = renderLog([mine]);
    fireEvent.click(rowOf(mine).getByRole('button', { name: 'Delete' }));
    expect(actions.remove).not.toHaveBeenCalled();
    const confirm = within(rowOf(mine).getByRole('group', { name: 'Confirm delete' }));
    expect(document.activeElement).toBe(confirm.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(confirm.getByRole('button', { name: 'Cancel' }));
    expect(rowOf(mine).queryByRole('group', { name: 'Confirm delete' })).toBeNull();
    fireEvent.click(rowOf(mine).getByRole('button', { name: 'Delete' }));
    fireEvent.click(rowOf(mine).getByRole('button', { name: 'Delete for everyone' }));
    expect(actions.remove).toHaveBeenCalledWith(mine);
  });

  it('quotes the original above a reply and jumps to it when clicked', () => {
    const original = message(1, { name: 'Ada', body: `a long original ${'x'.repeat(200)}` });
    const reply = message(2, { body: 'the answer', replyTo: original.id });
    renderLog([original, reply]);
    const quote = rowOf(reply).getByRole('button', { name: /^Go to the quoted message, Ada: a long original x+…$/ });
    const target = document.querySelector<HTMLElement>(`li[data-message-id="${original.id}"]`);
    if (!target) throw new Error('original not rendered');
    target.scrollIntoView = vi.fn();
    fireEvent.click(quote);
    expect(target.scrollIntoView).toHaveBeenCalled();
    expect(document.activeElement).toBe(target);
  });

  it('quotes the original without its markdown markers', () => {
    const original = message(1, { name: 'Ada', body: '> **release** at *noon*, run `npm test`\n```sh\nls\n```' });
    const reply = message(2, { body: 'ok', replyTo: original.id });
    renderLog([original, reply]);
    expect(rowOf(reply).getByRole('button', { name: 'Go to the quoted message, Ada: release at noon, run npm test ls' })).toBeTruthy();
  });

  it('shows a deleted message as a discreet line without actions, text or reactions', () => {
    const gone = message(1, { author: ME, body: '', deleted: true });
    renderLog([gone]);
    expect(rowOf(gone).getByText('Message deleted.')).toBeTruthy();
    expect(rowOf(gone).queryByRole('button')).toBeNull();
  });

  it('marks an edited message', () => {
    const edited = message(1, { body: 'new text', edited: true });
    renderLog([edited]);
    expect(rowOf(edited).getByText('(edited)', { exact: false })).toBeTruthy();
  });

  it('highlights others’ messages that mention the reader, not the reader’s own', () => {
    const pinged = message(2, { body: 'lunch, @me?' });
    const other = message(3, { body: 'lunch, @meg?' });
    const mine = message(1, { author: ME, body: 'note to @Me' });
    renderLog([mine, pinged, other]);
    expect(rowOf(pinged).getByText('mentions you')).toBeTruthy();
    expect(rowOf(other).queryByText('mentions you')).toBeNull();
    expect(rowOf(mine).queryByText('mentions you')).toBeNull();
  });

  it('moves the highlights when the reader renames, rows already shown included', () => {
    const toMe = message(2, { body: 'lunch, @me?' });
    const toMeg = message(3, { body: 'lunch, @meg?' });
    const log = (ownName: string) => (
      <MessageLog messages={[toMe, toMeg]} isOwn={() => false} hasOlder={false} loadOlder={async () => {}} contested={new Set()} ownName={ownName} />
    );
    const { rerender } = render(log('Me'));
    expect(rowOf(toMe).getByText('mentions you')).toBeTruthy();
    rerender(log('Meg'));
    expect(rowOf(toMe).queryByText('mentions you')).toBeNull();
    expect(rowOf(toMeg).getByText('mentions you')).toBeTruthy();
  });

  it('draws the "new" line above the first unread message, and a day line', () => {
    const seen = message(1, { body: 'seen' });
    const fresh = message(2, { body: 'fresh' });
    renderLog([seen, fresh], fakeActions(), 'Me', fresh.id);
    const log = within(screen.getByRole('log', { name: 'Messages' }));
    expect(document.querySelectorAll('li.day-line')).toHaveLength(1);
    const unreadLine = log.getByText('New messages since you left').closest('li');
    expect(unreadLine?.previousElementSibling?.getAttribute('data-message-id')).toBe(seen.id);
    expect(unreadLine?.nextElementSibling?.getAttribute('data-message-id')).toBe(fresh.id);
  });
});

describe('file rows in the log', () => {
  const file = (n: number) => message(n, { kind: 'file', body: '', file: manifestOf({ name: '../secret\u202Efdp.exe' }) });
  const files = { transfer: () => signal<TransferState | null>(null), fetch: vi.fn(), cancel: vi.fn(), plaintext: vi.fn() };

  it('shows the file card and offers no Edit on an own file', () => {
    const row = file(1);
    render(
      <MessageLog
        messages={[row]} isOwn={() => true} hasOlder={false} loadOlder={async () => {}} contested={new Set()} actions={fakeActions()} files={files}
      />,
    );
    const item = rowOf(row);
    expect(item.getByRole('button', { name: 'Download _secretfdp.exe' })).toBeTruthy();
    expect(item.getByRole('button', { name: 'Delete' })).toBeTruthy();
    expect(item.queryByRole('button', { name: 'Edit' })).toBeNull();
  });

  it('shows only the sanitised name where the room has no files', () => {
    const row = file(2);
    renderLog([row]);
    expect(rowOf(row).getByText('File: _secretfdp.exe')).toBeTruthy();
  });
});
