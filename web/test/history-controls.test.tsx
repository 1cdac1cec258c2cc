// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type HistoryTools, HistoryControls } from '../src/ui/history-controls';

const MIB = 1024 * 1024;

function setup() {
  const tools: HistoryTools = {
    keep: 50_000, setKeep: vi.fn(), exportFile: async () => new Blob([]), importFile: async () => '',
    fileLimits: { quotaBytes: 1024 * MIB, maxFileBytes: 2048 * MIB }, setFileLimits: vi.fn(),
  };
  render(<HistoryControls tools={tools} fileName="history.jsonl" />);
  fireEvent.click(screen.getByRole('button', { name: 'History' }));
  return tools;
}

const change = (label: string, value: string) => {
  const input = screen.getByLabelText(label) as HTMLInputElement;
  input.value = value;
  fireEvent.change(input);
  return input;
};

afterEach(cleanup);

describe('history panel: file limits', () => {
  it('shows the room’s file quota and largest file in MiB', () => {
    setup();
    expect((screen.getByLabelText('Files stored for this room (MiB)') as HTMLInputElement).value).toBe('1024');
    expect((screen.getByLabelText('Largest file shared or fetched (MiB)') as HTMLInputElement).value).toBe('2048');
  });

  it('sets each limit in bytes, keeping the other', () => {
    const tools = setup();
    change('Files stored for this room (MiB)', '300');
    expect(tools.setFileLimits).toHaveBeenLastCalledWith({ quotaBytes: 300 * MIB, maxFileBytes: 2048 * MIB });
    change('Largest file shared or fetched (MiB)', '50');
    expect(tools.setFileLimits).toHaveBeenLastCalledWith({ quotaBytes: 300 * MIB, maxFileBytes: 50 * MIB });
  });

  it('clamps a limit to at least 1 MiB', () => {
    const tools = setup();
    change('Largest file shared or fetched (MiB)', '0');
    expect(tools.setFileLimits).toHaveBeenLastCalledWith({ quotaBytes: 1024 * MIB, maxFileBytes: MIB });
  });
});
