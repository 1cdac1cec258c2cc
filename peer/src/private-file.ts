import { open, rename } from 'node:fs/promises';
import * as v from 'valibot';

/**
 * Writes an owner-only (0600) file so that a crash never leaves half of it: a temporary file is written
 * and synced, then renamed over the old one. Throws the file system's error (callers turn it into a code).
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}

/** JSON text checked against a schema: the value, or null for bad JSON or the wrong shape. Never throws. */
export function parseJsonAs<T>(text: string, schema: v.GenericSchema<unknown, T>): T | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = v.safeParse(schema, value);
  return parsed.success ? parsed.output : null;
}
