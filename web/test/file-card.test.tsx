// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FileResult, TransferState } from '@shoal/shared';
import { type FileActions, FileCard } from '../src/ui/file-card';
import { manifestOf } from './fake-file-swarm';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

function setup(fields: Parameters<typeof manifestOf>[0] = {}, bytes: Uint8Array = new Uint8Array([1, 2, 3])) {
  const state = signal<TransferState | null>(null);
  const plaintext = vi.fn(async (): Promise<FileResult<Blob>> => ({ ok: true, value: new Blob([bytes.slice()]) }));
  const files: FileActions = { transfer: () => state, fetch: vi.fn(), cancel: vi.fn(), plaintext };
  const manifest = manifestOf(fields);
  render(<FileCard fileId="f1" manifest={manifest} files={files} />);
  // act: the card re-renders from the signal before the assertions run.
  const report = (phase: TransferState['phase'], received = 0, extra: Partial<TransferState> = {}) =>
    act(() => {
      state.value = { fileId: 'f1', phase, receivedBytes: received, totalBytes: manifest.size, bytesPerSecond: 1_500_000, sources: 2, ...extra };
    });
  return { files, state, report, plaintext };
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('file row', () => {
  it('shows name, size and type, and a Download control named after the file', () => {
    setup({ name: 'report.pdf', size: 3_000_000, type: 'application/pdf' });
    expect(screen.getByText('report.pdf')).toBeTruthy();
    expect(screen.getByText(/3\.0 MB/)).toBeTruthy();
    expect(screen.getByText('application/pdf')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download report.pdf' })).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('names the control and the download after the sanitised name', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { report } = setup({ name: '../\u202Egpj.exe' });
    report('complete', 3_000_000);
    fireEvent.click(screen.getByRole('button', { name: 'Download _gpj.exe' }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('_gpj.exe');
  });

  it('fetches on Download and saves once the transfer completes', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { files, report } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Download report.pdf' }));
    expect(files.fetch).toHaveBeenCalledWith('f1');
    report('downloading', 1_500_000);
    expect(click).not.toHaveBeenCalled();
    report('complete', 3_000_000);
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
  });

  it('shows a progress bar with percentage and speed while bytes arrive, and a Cancel', () => {
    const { files, report } = setup();
    report('downloading', 1_500_000);
    const bar = screen.getByRole('progressbar', { name: 'Fetching report.pdf' });
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByText(/1\.5 MB\/s/)).toBeTruthy();
    expect(screen.getByText(/from 2 peers/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel report.pdf' }));
    expect(files.cancel).toHaveBeenCalledWith('f1');
  });

  it('says why a transfer failed and offers Retry', () => {
    const { files, report } = setup();
    report('failed', 0, { error: { code: 'NO_SOURCE', message: 'no peer holding it answered' } });
    expect(screen.getByRole('alert').textContent).toContain('no peer holding it answered');
    expect(screen.queryByRole('progressbar')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Retry report.pdf' }));
    expect(files.fetch).toHaveBeenCalledWith('f1');
  });

  it('offers Retry after a cancel', () => {
    const { report } = setup();
    report('cancelled');
    expect(screen.getByText('Cancelled.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry report.pdf' })).toBeTruthy();
  });

  it('shows a complete PNG inline with the file name as alt text', async () => {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:picture');
    const { report } = setup({ name: 'cat.png', type: 'image/png', size: 12 }, PNG);
    report('complete', 12);
    const picture = await screen.findByRole('img', { name: 'cat.png' });
    expect(picture.getAttribute('src')).toBe('blob:picture');
  });

  it('does not show bytes that are not what the type claims', async () => {
    const create = vi.spyOn(URL, 'createObjectURL');
    const { report } = setup({ name: 'cat.png', type: 'image/png', size: 12 }, new TextEncoder().encode('<svg onload="x">'));
    report('complete', 12);
    await screen.findByText(/not a PNG picture/);
    expect(screen.queryByRole('img')).toBeNull();
    expect(create).not.toHaveBeenCalled();
  });

  it('never shows SVG or HTML inline, only as a download', async () => {
    const { report, plaintext } = setup({ name: 'logo.svg', type: 'image/svg+xml', size: 12 });
    report('complete', 12);
    await Promise.resolve();
    expect(screen.queryByRole('img')).toBeNull();
    expect(plaintext).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Download logo.svg' })).toBeTruthy();
  });

  it('offers a big picture on click instead of fetching it', () => {
    const { files } = setup({ name: 'huge.jpg', type: 'image/jpeg', size: 50_000_000 });
    fireEvent.click(screen.getByRole('button', { name: 'Show picture huge.jpg' }));
    expect(files.fetch).toHaveBeenCalledWith('f1');
  });
});
