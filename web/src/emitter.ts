/**
 * A minimal typed event emitter over closure state. A throwing handler is reported through `onError`
 * and does not stop the others (lib0's emit leaves that as a todo; here it is the contract).
 */
export interface Emitter<Events> {
  on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): () => void;
  emit<K extends keyof Events>(event: K, payload: Events[K]): void;
}

export function createEmitter<Events>(onError: (error: unknown) => void = reportError): Emitter<Events> {
  const handlers: { [K in keyof Events]?: Set<(payload: Events[K]) => void> } = {};
  return {
    on(event, handler) {
      const set = handlers[event] ?? (handlers[event] = new Set());
      set.add(handler);
      return () => set.delete(handler);
    },
    emit(event, payload) {
      for (const handler of handlers[event] ?? []) {
        try {
          handler(payload);
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}

function reportError(error: unknown): void {
  console.error(error);
}
