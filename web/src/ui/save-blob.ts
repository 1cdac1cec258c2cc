/** How long a download's object URL stays valid: the browser has started reading it by then. */
const URL_LIFETIME_MS = 60_000;

/** Hands a Blob to the browser as an ordinary download named `fileName` (already made safe by the caller). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), URL_LIFETIME_MS);
}
