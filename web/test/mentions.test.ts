import { describe, expect, it } from 'vitest';
import { MAX_MENTION_CHOICES, mentionChoices, mentionMemo, mentionQuery, mentionsName } from '../src/state/mentions';

describe('mentions', () => {
  it('finds a whole-name mention, case-insensitively, and not inside longer names or addresses', () => {
    expect(mentionsName('hi @ada, lunch?', 'Ada')).toBe(true);
    expect(mentionsName('@Ada Lovelace look', 'Ada Lovelace')).toBe(true);
    expect(mentionsName('hi @Adam', 'Ada')).toBe(false);
    expect(mentionsName('mail ada@ada.example', 'ada.example')).toBe(false);
    expect(mentionsName('hi @', '')).toBe(false);
  });

  it('sees through invisible characters either side', () => {
    expect(mentionsName('hi @A\u200Bda', 'Ada')).toBe(true);
    expect(mentionsName('hi @Ada', '\u202AAda\u202C')).toBe(true);
  });

  it('remembers per message whether it mentions the reader, as mentionsName tells', () => {
    const mentions = mentionMemo('Ada');
    const messages = [{ body: 'hi @ada, lunch?' }, { body: 'hi @Adam' }, { body: 'hi @A\u200Bda' }, { body: 'nobody' }];
    expect(messages.map(mentions)).toEqual(messages.map((m) => mentionsName(m.body, 'Ada')));
    expect(messages.map(mentions)).toEqual([true, false, true, false]);
    // Messages are immutable in the app: an answer given once is the answer for that message object.
    const first = messages[0]!;
    first.body = 'changed';
    expect(mentions(first)).toBe(true);
    expect(mentions({ body: 'changed' })).toBe(false);
    // Another reader name: a memo of its own.
    expect(mentionMemo('Adam')(messages[1]!)).toBe(true);
  });

  it('reads the @query before the caret', () => {
    expect(mentionQuery('hello @Ad', 9)).toEqual({ start: 6, query: 'Ad' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('mail a@b', 8)).toBeNull();
    expect(mentionQuery('@Ada and', 8)).toBeNull();
  });

  it('offers distinct normalized names by prefix, at most a few', () => {
    expect(mentionChoices('a', ['Ada', 'brian', 'ada', 'Alan', '', '\u200B'])).toEqual(['Ada', 'Alan']);
    const many = Array.from({ length: 20 }, (_, i) => `Name${i}`);
    expect(mentionChoices('', many)).toHaveLength(MAX_MENTION_CHOICES);
  });
});
