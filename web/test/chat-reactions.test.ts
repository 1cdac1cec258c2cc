import { signal } from '@preact/signals';
import { type RoomEvent, type SignedEvent, encodeContent } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import type { SignalingStatus } from '@shoal/shared/link';
import { createChatState } from '../src/state/chat';
import { createFakeMesh } from './fake-mesh';
import { peerId, room } from './ids';

const lobby = room('lobby');
const self = peerId(1);

function event(kind: string, lamport: number, body: string, fields: Partial<SignedEvent> = {}): SignedEvent {
  return {
    v: 2, id: `E${lamport.toString(16).padStart(42, '0')}`, room: lobby, author: peerId(2), seq: lamport, lamport, sentAt: 0, kind, body,
    publicKey: 'P'.repeat(43), signature: 'S'.repeat(86), ...fields,
  };
}

function setup(stored: RoomEvent[] = []) {
  const fake = createFakeMesh(lobby, self);
  const state = createChatState({
    room: lobby, ownAuthors: new Set([self]), mesh: fake.mesh, history: { recent: async () => stored, before: async () => [] },
    serverStatus: signal<SignalingStatus>('connected'), verify: async () => true,
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { fake, state, settle };
}

const text = (lamport: number, words: string, fields: Partial<SignedEvent> = {}) => event('text', lamport, encodeContent('text', { text: words, name: 'Ada' }), fields);
const reaction = (lamport: number, target: string, emoji: string, fields: Partial<SignedEvent> = {}, remove = false) =>
  event('reaction', lamport, encodeContent('reaction', { emoji, ...(remove && { remove: true }) }), { target, ...fields });

describe('chat state reactions', () => {
  it('shows reactions on their message, from the store and live, and takes the reader’s own back', async () => {
    const original = text(1, 'hello');
    const { fake, state, settle } = setup([original, reaction(2, original.id, '👍')]);
    await state.load();
    expect(state.messages.value[0]?.reactions).toEqual([{ emoji: '👍', count: 1, mine: false, keys: ['P'.repeat(43)] }]);
    expect(await state.react(original.id, '👍')).toBe(true);
    await settle();
    expect(state.messages.value[0]?.reactions?.[0]).toMatchObject({ emoji: '👍', count: 2, mine: true });
    await state.react(original.id, '👍', true);
    await settle();
    expect(state.messages.value[0]?.reactions?.[0]).toMatchObject({ emoji: '👍', count: 1, mine: false });
    fake.deliver(reaction(9, original.id, '👍', {}, true));
    await settle();
    expect(state.messages.value[0]?.reactions).toBeUndefined();
  });

  it('applies a reaction that arrives before its message', async () => {
    const { fake, state, settle } = setup();
    await state.load();
    const original = text(1, 'late');
    fake.deliver(reaction(2, original.id, '🎉'));
    await settle();
    fake.deliver(original);
    await settle();
    expect(state.messages.value[0]?.reactions?.[0]).toMatchObject({ emoji: '🎉', count: 1 });
  });

  it('resolves who reacted by the name their key last wrote under', async () => {
    const { state } = setup([text(1, 'first', { publicKey: 'Q'.repeat(43) }), text(2, 'second', { publicKey: 'Q'.repeat(43), body: encodeContent('text', { text: 'x', name: 'Brian' }) })]);
    await state.load();
    expect(state.nameOf('Q'.repeat(43))).toBe('Brian');
    expect(state.nameOf('unknown')).toBe('');
  });

  it('puts the "new" line above the first message from others that arrived while the tab was hidden', async () => {
    const { fake, state, settle } = setup([text(1, 'seen')]);
    await state.load();
    state.setVisible(false);
    await state.send('my own, while away');
    fake.deliver(text(5, 'first unseen'));
    fake.deliver(text(6, 'second unseen'));
    await settle();
    const firstUnseen = state.messages.value.find((m) => m.body === 'first unseen');
    expect(state.firstUnread.value).toBe(firstUnseen?.id);
    state.setVisible(true);
    fake.deliver(text(7, 'seen live'));
    await settle();
    // It stays where the reader left off until they leave again.
    expect(state.firstUnread.value).toBe(firstUnseen?.id);
    state.setVisible(false);
    fake.deliver(text(8, 'next time'));
    await settle();
    expect(state.firstUnread.value).toBe(state.messages.value.find((m) => m.body === 'next time')?.id);
  });
});
