/**
 * A typed event emitter for live media objects. A listener's exception — thrown, or a rejected
 * promise — is reported to `onListenerError` and never reaches the emitter: a bug in a session
 * log writer must not tear down a call.
 */

// An interface (not a type alias) cannot describe "any event map": use a record of payloads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventMap = Record<string, any>;

export type Listener<T> = (payload: T) => void | Promise<void>;

/** The subscribe side, handed to consumers: they listen, only the owner emits. */
export interface EventSource<Events extends EventMap> {
  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): () => void;
  off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): void;
  /** Resolves with the next payload of `event`. */
  once<K extends keyof Events & string>(event: K): Promise<Events[K]>;
}

export type ListenerErrorHandler = (error: unknown, event: string) => void;

export class TypedEmitter<Events extends EventMap> implements EventSource<Events> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: ListenerErrorHandler) {}

  on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): void {
    const set = this.listeners.get(event);
    set?.delete(listener);
    if (set?.size === 0) this.listeners.delete(event);
  }

  once<K extends keyof Events & string>(event: K): Promise<Events[K]> {
    return new Promise((resolve) => {
      const off = this.on(event, (payload) => {
        off();
        resolve(payload);
      });
    });
  }

  /** Calls every listener of `event` in order; exceptions are reported, never thrown. */
  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set] as Listener<Events[K]>[]) {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.reportError(error, event));
      } catch (error) {
        this.reportError(error, event);
      }
    }
  }

  listenerCount(event: keyof Events & string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  removeAllListeners(): void {
    this.listeners.clear();
  }

  private reportError(error: unknown, event: string): void {
    try {
      this.onListenerError(error, event);
    } catch {
      // The error reporter itself failed (a broken logger): nothing sensible is left to do.
    }
  }
}
