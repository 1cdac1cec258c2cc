import { describe, expect, it } from 'vitest';
import { NAME_KEY, loadName } from '../src/state/name-pref';
import { SESSIONS_KEY, rememberSession } from '../src/state/own-sessions';
import { memoryStorage } from './memory-storage';

describe('stored preferences read back', () => {
  it('keeps the good session ids when one stored entry is malformed', () => {
    const storage = memoryStorage();
    storage.setItem(SESSIONS_KEY, JSON.stringify(['tab-a', 7, null, 'x'.repeat(65), 'tab-b']));
    const sessions = rememberSession(storage, 'tab-c');
    expect([...sessions]).toEqual(['tab-a', 'tab-b', 'tab-c']);
  });

  it('reads a stored name back without control, bidi or zero-width characters', () => {
    const storage = memoryStorage();
    storage.setItem(NAME_KEY, '\u202EAl\u200Bice\u0000\n');
    expect(loadName(storage)).toBe('Alice');
  });
});
