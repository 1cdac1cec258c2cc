import qrcode from 'qrcode-generator';
import { useMemo } from 'preact/hooks';

/** Quiet zone around the code, in modules (the standard asks for 4; scanners manage with 2 on white). */
const QUIET_MODULES = 2;

/**
 * The modules of a QR code for `text` as an SVG path ("M x,y h1v1h-1z" per dark module), or null when
 * the text does not fit in a QR code (about 2,300 bytes at level M).
 */
export function qrPath(text: string): { size: number; d: string } | null {
  try {
    const code = qrcode(0, 'M');
    code.addData(text);
    code.make();
    const size = code.getModuleCount();
    const parts: string[] = [];
    for (let row = 0; row < size; row++) for (let col = 0; col < size; col++) if (code.isDark(row, col)) parts.push(`M${col},${row}h1v1h-1z`);
    return { size, d: parts.join('') };
  } catch {
    return null;
  }
}

/**
 * A QR code drawn as SVG elements (no markup strings): dark modules on white in both themes, since
 * scanners expect dark on light.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const path = useMemo(() => qrPath(text), [text]);
  if (!path) return <p class="hint">Too long for a QR code: copy it instead.</p>;
  const box = path.size + 2 * QUIET_MODULES;
  return (
    <svg class="qr" role="img" aria-label={label} viewBox={`${-QUIET_MODULES} ${-QUIET_MODULES} ${box} ${box}`} shape-rendering="crispEdges">
      <rect x={-QUIET_MODULES} y={-QUIET_MODULES} width={box} height={box} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
