/**
 * Stable, machine-readable error codes. They travel in `error` frames and tests assert them, so a code
 * is never renamed; new failures get new codes.
 */
export const ERROR_CODES = [
  'BAD_JSON',
  'BAD_SHAPE',
  'UNKNOWN_TYPE',
  'BINARY_FRAME',
  'TOO_LARGE',
  'RATE_LIMITED',
  'VERSION_MISMATCH',
  'NOT_JOINED',
  'ALREADY_JOINED',
  'ROOM_FULL',
  'DUPLICATE_PEER',
  'UNKNOWN_PEER',
  'TOO_MANY_CONNECTIONS',
  'JOIN_TIMEOUT',
  'ORIGIN_NOT_ALLOWED',
  'SERVER_SHUTDOWN',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Result of parsing untrusted input: errors are values, never exceptions thrown across a boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string): Result<T> => ({
  ok: false,
  error: new ProtocolError(code, message),
});
