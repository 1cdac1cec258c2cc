import { describe, expect, it } from 'vitest';
import { MAX_HISTORY_FILE_BYTES, exportHistory, parseHistoryFile } from '../src/store/history-file';
import { peerId, room } from './ids';
import { chatMessage } from './messages';

const lobby = room('lobby');
const stored = Array.from({ length: 2_500 }, (_, i) => chatMessage(lobby, peerId(1), i + 1, i + 1));
const history = {
  recent: async (_room: string, limit: number) => stored.slice(-limit),
  before: async (_room: string, at: { lamport: number }, limit: number) => stored.filter((m) => m.lamport < at.lamport).slice(-limit),
};

describe('history files', () => {
  it('exports every event of a room oldest first and reads them back', async () => {
    const lines = await exportHistory(history, lobby, 0);
    expect(lines).toHaveLength(2_501);
    const parsed = parseHistoryFile(lines.join(''), lobby);
    expect(parsed).toMatchObject({ ok: true, unreadable: 0 });
    if (parsed.ok) expect(parsed.events.map((e) => e.seq)).toEqual(stored.map((m) => m.seq));
  });

  it('counts damaged lines instead of failing the import', async () => {
    const lines = await exportHistory({ recent: async () => stored.slice(0, 3), before: async () => [] }, lobby, 0);
    const parsed = parseHistoryFile([...lines, '{not json\n', '{"id":1}\n'].join(''), lobby);
    expect(parsed).toMatchObject({ ok: true, unreadable: 2 });
  });

  it('refuses another room’s export, a file that is not an export, and one over the size limit', async () => {
    const lines = await exportHistory(history, room('elsewhere'), 0);
    expect(parseHistoryFile(lines.join(''), lobby)).toMatchObject({ ok: false, code: 'OTHER_ROOM' });
    expect(parseHistoryFile('hello\n', lobby)).toMatchObject({ ok: false, code: 'NOT_A_HISTORY_FILE' });
    expect(parseHistoryFile('x'.repeat(MAX_HISTORY_FILE_BYTES + 1), lobby)).toMatchObject({ ok: false, code: 'TOO_LARGE' });
  });
});
