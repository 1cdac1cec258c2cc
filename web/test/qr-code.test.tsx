// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { LazyQrCode } from '../src/ui/lazy-qr-code';
import { QrCode, qrPath } from '../src/ui/qr-code';

afterEach(cleanup);

describe('QR code', () => {
  it('draws a room link as an SVG image of dark modules, with finder patterns in three corners', () => {
    const path = qrPath('https://shoal.example/#/r/lobby');
    if (!path) throw new Error('no code');
    expect(path.size).toBeGreaterThanOrEqual(21);
    // The top-left finder pattern's first row is seven dark modules.
    for (let col = 0; col < 7; col++) expect(path.d).toContain(`M${col},0h1v1h-1z`);
    expect(path.d).toContain(`M${path.size - 1},0h1v1h-1z`);
    expect(path.d).toContain(`M0,${path.size - 1}h1v1h-1z`);
    render(<QrCode text="https://shoal.example/#/r/lobby" label="QR code of the room link" />);
    expect(screen.getByRole('img', { name: 'QR code of the room link' }).tagName.toLowerCase()).toBe('svg');
  });

  it('says so instead of drawing when the text is too long for a QR code', () => {
    expect(qrPath('x'.repeat(5000))).toBeNull();
    render(<QrCode text={'x'.repeat(5000)} label="code" />);
    expect(screen.getByText('Too long for a QR code: copy it instead.')).toBeTruthy();
  });

  it('loads the encoder when a code is first shown, then draws it', async () => {
    render(<LazyQrCode text="https://shoal.example/#/r/lobby" label="QR code of the room link" />);
    expect(screen.getByText('Drawing the QR code…')).toBeTruthy();
    expect((await screen.findByRole('img', { name: 'QR code of the room link' })).tagName.toLowerCase()).toBe('svg');
  });
});
