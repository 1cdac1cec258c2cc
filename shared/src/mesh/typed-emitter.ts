/** A minimal typed event emitter over an events map (lib0's ObservableV2 idea, as a closure). */
export interface Emitter<Events> {
  on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): () => void;
  emit<K extends keyof Events>(event: K, payload: Events[K]): void;
  /** Whether anyone listens: a payload costly to build is built only for listeners. */
  listened(event: keyof Events): boolean;
  clear(): void;
}

/**
 * Creates an emitter. A throwing handler must not break the mesh's processing loop nor hide other
 * handlers, so its error goes to `onError` (default: rethrown on a fresh microtask, where it surfaces
 * as an uncaught error instead of being swallowed).
 */
export function createEmitter<Events>(onError: (error: unknown) => void = rethrowLater): Emitter<Events> {
  const handlers = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      const stored = handler as (payload: never) => void;
      set.add(stored);
      return () => {
        set.delete(stored);
      };
    },
    emit(event, payload) {
      for (const handler of [...(handlers.get(event) ?? [])]) {
        try {
          (handler as (payload: Events[typeof event]) => void)(payload);
        } catch (error) {
          onError(error);
        }
      }
    },
    listened(event) {
      return (handlers.get(event)?.size ?? 0) > 0;
    },
    clear() {
      handlers.clear();
    },
  };
}

function rethrowLater(error: unknown): void {
  void Promise.resolve().then(() => {
    throw error;
  });
}
