/** The slice of pino's logger the server uses; tests pass a silent or recording one. */
export interface Log {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

const noop = (): void => undefined;
export const silentLog: Log = { error: noop, warn: noop, info: noop, debug: noop };
