/**
 * Which files the log shows as pictures: the four raster formats browsers decode without running anything.
 * SVG (scripts, external fetches), HTML and every other type are offered as downloads only.
 */
export const INLINE_PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type InlinePictureType = (typeof INLINE_PICTURE_TYPES)[number];

/** Pictures up to this size are fetched as soon as their row shows; bigger ones when asked. Default 10 MiB. */
export const AUTO_FETCH_PICTURE_BYTES = 10 * 1024 * 1024;

/** Bytes of a file's start that `matchesMagic` needs. */
export const MAGIC_BYTES = 12;

/** The declared type, when it is one the log may show inline (the bytes are checked separately). */
export function inlinePictureType(declared: string): InlinePictureType | null {
  const type = declared.trim().toLowerCase();
  return INLINE_PICTURE_TYPES.find((known) => known === type) ?? null;
}

/**
 * Whether a file's first bytes are those of `type`: a peer may label anything `image/png`, and the image
 * decoder is the only code that should ever see it, so the label and the signature must agree.
 */
export function matchesMagic(type: InlinePictureType, head: Uint8Array): boolean {
  const startsWith = (offset: number, bytes: readonly number[]) => bytes.every((byte, i) => head[offset + i] === byte);
  const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));
  switch (type) {
    case 'image/png':
      return startsWith(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return startsWith(0, [0xff, 0xd8, 0xff]);
    case 'image/gif':
      return startsWith(0, ascii('GIF87a')) || startsWith(0, ascii('GIF89a'));
    case 'image/webp':
      return startsWith(0, ascii('RIFF')) && startsWith(8, ascii('WEBP'));
  }
}
