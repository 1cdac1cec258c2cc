/** Why the command line cannot run: each a stable code (scripts match on it), all exit with status 2. */
export type CliErrorCode =
  | 'UNKNOWN_OPTION'
  | 'BAD_OPTION_VALUE'
  | 'NO_ROOM'
  | 'BAD_ROOM_LINK'
  | 'TOO_MANY_ROOMS'
  | 'NEEDS_PASSPHRASE'
  | 'PASSPHRASE_FILE'
  | 'BAD_KEEPER_TOKEN'
  | 'TOKEN_NEEDS_KEEP'
  | 'BAD_SIGNAL'
  | 'KEEP_DIR';

/** Exit status for bad input (like most Unix tools: 2 = usage error). */
export const USAGE_EXIT_CODE = 2;

export interface CliError {
  code: CliErrorCode;
  message: string;
}

export type CliResult<T> = { ok: true; value: T } | { ok: false; error: CliError };

export const cliOk = <T>(value: T): CliResult<T> => ({ ok: true, value });
export const cliFail = <T = never>(code: CliErrorCode, message: string): CliResult<T> => ({ ok: false, error: { code, message } });
