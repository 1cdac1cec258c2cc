import { readFile } from 'node:fs/promises';
import { type CliResult, cliFail, cliOk } from './cli-error';

/** Largest passphrase file read: a passphrase, not a document. */
export const MAX_PASSPHRASE_FILE_BYTES = 4096;

/**
 * A private room's passphrase from a file (never from the command line, where `ps` and shell history
 * would show it). One trailing newline is dropped, as editors and `echo` add it.
 */
export async function readPassphraseFile(path: string): Promise<CliResult<string>> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_PASSPHRASE_FILE_BYTES) return cliFail('PASSPHRASE_FILE', `${path} is larger than ${MAX_PASSPHRASE_FILE_BYTES} bytes`);
    text = bytes.toString('utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error);
    return cliFail('PASSPHRASE_FILE', `cannot read the passphrase file ${path}: ${reason}`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.length === 0) return cliFail('PASSPHRASE_FILE', `${path} is empty`);
  return cliOk(passphrase);
}
