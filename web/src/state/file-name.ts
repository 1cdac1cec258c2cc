/** Longest file name offered for a download or shown in the log, in UTF-16 units (file systems allow ~255 bytes). */
export const MAX_SAFE_NAME_CHARS = 120;
/** The name used when nothing of a peer's name survives sanitising. */
export const FALLBACK_FILE_NAME = 'file';

/**
 * Characters a peer-chosen name must not carry: C0/C1 controls and DEL; bidi marks, embeddings, overrides
 * and isolates (they can make `txt.exe` read as `exe.txt`); zero-width characters and the BOM (invisible
 * differences between names).
 */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Path separators and the characters Windows refuses in names: replaced, so the name stays readable. */
const RESERVED = /[/\\:*?"<>|]/g;
/** Device names Windows treats specially whatever the extension (`con.txt` opens the console). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
/** An extension worth keeping when shortening: a dot, then up to 10 letters or digits. */
const EXTENSION = /\.[\p{L}\p{N}]{1,10}$/u;

/**
 * A peer's file name made safe to show and to save under: no path (separators become `_`), no control,
 * bidi or zero-width characters, no leading dots or spaces (hidden files, `..`), no trailing dots or spaces
 * (Windows drops them), no device names; at most MAX_SAFE_NAME_CHARS, shortened before the extension so the
 * type stays visible. `file` when nothing is left.
 */
export function safeFileName(raw: string): string {
  let name = raw.normalize('NFC').replace(HIDDEN, '').replace(RESERVED, '_').replace(/\s+/g, ' ');
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (name.length > MAX_SAFE_NAME_CHARS) name = shorten(name);
  return name === '' ? FALLBACK_FILE_NAME : name;
}

/** Cuts the stem, not the extension; never splits a surrogate pair. */
function shorten(name: string): string {
  const extension = EXTENSION.exec(name)?.[0] ?? '';
  const stem = Array.from(name.slice(0, name.length - extension.length));
  let kept = '';
  for (const char of stem) {
    if (kept.length + char.length + extension.length > MAX_SAFE_NAME_CHARS) break;
    kept += char;
  }
  return kept.replace(/[.\s]+$/, '') + extension;
}
