// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ViewMessage } from '@shoal/shared';
import { type ComposeMode, Composer } from '../src/ui/composer';
import { peerId, room } from './ids';
import { chatMessage } from './messages';

function message(n: number, fields: Partial<ViewMessage> = {}): ViewMessage {
  const { id, author, publicKey, seq, lamport, sentAt, name, body } = chatMessage(room('lobby'), peerId(n), 1, n);
  return { id, author, publicKey, seq, lamport, sentAt, name, body, kind: 'text', ...fields };
}

function Harness(props: { initial: ComposeMode; last?: ViewMessage; send: (body: string, replyTo?: string) => Promise<boolean>; edit: (id: string, body: string) => Promise<boolean>; onTyping?: () => void }) {
  const [mode, setMode] = useState<ComposeMode>(props.initial);
  return (
    <Composer
      send={props.send} edit={props.edit} mode={mode} setMode={setMode} lastOwn={() => props.last} onTyping={props.onTyping}
      names={() => ['Brian', 'Ada Lovelace', 'Adam']} error={null} maxLength={4000} encrypted={false}
    />
  );
}

function setup(initial: ComposeMode = null, last?: ViewMessage) {
  const send = vi.fn(async () => true);
  const edit = vi.fn(async () => true);
  const onTyping = vi.fn();
  render(<Harness initial={initial} last={last} send={send} edit={edit} onTyping={onTyping} />);
  const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
  const type = (text: string) => {
    box.value = text;
    box.setSelectionRange(text.length, text.length);
    fireEvent.input(box);
  };
  const key = (key: string, extra: Partial<KeyboardEventInit> = {}) => fireEvent.keyDown(box, { key, ...extra });
  return { send, edit, onTyping, box, type, key };
}

afterEach(cleanup);

describe('composer', () => {
  it('sends on Enter, keeps Shift+Enter for a new line, and reports typing', () => {
    const { send, onTyping, type, key } = setup();
    type('first line');
    key('Enter', { shiftKey: true });
    expect(send).not.toHaveBeenCalled();
    type('first line\nsecond');
    key('Enter');
    expect(send).toHaveBeenCalledWith('first line\nsecond', undefined);
    expect(onTyping).toHaveBeenCalled();
  });

  it('shows what a reply answers, sends it as a reply, and Esc cancels the reply', () => {
    const original = message(2, { name: 'Ada', body: 'what time?' });
    const { send, type, key } = setup({ kind: 'reply', message: original });
    expect(screen.getByText('Replying to Ada: what time?')).toBeTruthy();
    key('Escape');
    expect(screen.queryByText('Replying to Ada: what time?')).toBeNull();
    type('noon');
    key('Enter');
    expect(send).toHaveBeenCalledWith('noon', undefined);
  });

  it('sends a reply with the id of the answered message', () => {
    const original = message(2, { name: 'Ada', body: 'what time?' });
    const { send, type, key } = setup({ kind: 'reply', message: original });
    type('noon');
    key('Enter');
    expect(send).toHaveBeenCalledWith('noon', original.id);
  });

  it('edits the last own message with Up in an empty composer: Enter saves, Esc gives the draft back', () => {
    const last = message(1, { body: 'helo' });
    const { edit, box, type, key } = setup(null, last);
    key('ArrowUp');
    expect(box.value).toBe('helo');
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
    type('hello');
    key('Enter');
    expect(edit).toHaveBeenCalledWith(last.id, 'hello');
    expect(box.value).toBe('');

    type('a draft');
    key('ArrowUp'); // not empty: Up moves the caret, no edit
    expect(box.value).toBe('a draft');
  });

  it('cancels an edit with Esc and restores the draft put aside', () => {
    const last = message(1, { body: 'helo' });
    const { edit, box, key } = setup({ kind: 'edit', message: last }, last);
    expect(box.value).toBe('helo');
    key('Escape');
    expect(box.value).toBe('');
    expect(edit).not.toHaveBeenCalled();
  });

  it('offers room names after "@", moves with the arrows and inserts the chosen one with Enter', () => {
    const { send, box, type, key } = setup();
    type('hi @Ad');
    const list = screen.getByRole('listbox', { name: 'Mention someone' });
    expect([...list.querySelectorAll('[role=option]')].map((o) => o.textContent)).toEqual(['@Ada Lovelace', '@Adam']);
    key('ArrowDown');
    expect(screen.getByRole('option', { name: '@Adam' }).getAttribute('aria-selected')).toBe('true');
    expect(box.getAttribute('aria-activedescendant')).toBe(screen.getByRole('option', { name: '@Adam' }).id);
    key('ArrowUp');
    key('Enter');
    expect(box.value).toBe('hi @Ada Lovelace ');
    expect(send).not.toHaveBeenCalled();
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('closes the name list with Esc without sending or cancelling anything', () => {
    const { send, box, type, key } = setup();
    type('@B');
    key('Escape');
    expect(screen.queryByRole('listbox')).toBeNull();
    key('Enter');
    expect(send).toHaveBeenCalledWith('@B', undefined);
    expect(box.value).toBe('');
  });
});

describe('composer attachments', () => {
  const renderWithAttach = () => {
    const attach = vi.fn();
    render(
      <Composer
        send={async () => true} edit={async () => true} mode={null} setMode={() => undefined} lastOwn={() => undefined}
        error={null} maxLength={4000} encrypted={false} attach={attach}
      />,
    );
    return attach;
  };

  it('shares every file picked with the Attach file input', () => {
    const attach = renderWithAttach();
    const input = screen.getByLabelText('Attach file') as HTMLInputElement;
    expect(input.multiple).toBe(true);
    const files = [new File(['a'], 'a.txt'), new File(['b'], 'b.png', { type: 'image/png' })];
    Object.defineProperty(input, 'files', { value: files, configurable: true });
    fireEvent.change(input);
    expect(attach).toHaveBeenCalledWith(files);
  });

  it('shares a pasted picture and leaves pasted text to the box', () => {
    const attach = renderWithAttach();
    const box = screen.getByRole('textbox', { name: 'Message' });
    const picture = new File([new Uint8Array([0x89, 0x50])], 'image.png', { type: 'image/png' });
    fireEvent.paste(box, { clipboardData: { files: [picture] } });
    expect(attach).toHaveBeenCalledWith([picture]);
    fireEvent.paste(box, { clipboardData: { files: [] } });
    expect(attach).toHaveBeenCalledTimes(1);
  });

  it('offers no attachment without a file swarm', () => {
    render(<Harness initial={null} send={async () => true} edit={async () => true} />);
    expect(screen.queryByLabelText('Attach file')).toBeNull();
  });
});
