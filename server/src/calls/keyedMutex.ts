/** A task ran past its `timeoutMs`: its key was released and its signal aborted with this error. */
export class KeyedMutexTimeoutError extends Error {
  constructor(
    readonly key: string,
    readonly timeoutMs: number,
  ) {
    super(`A task under one key ran longer than ${timeoutMs} ms`);
    this.name = 'KeyedMutexTimeoutError';
  }
}

export interface KeyedMutexRunOptions {
  /**
   * How long the task may hold its key once it has started (its wait for the tasks before it does
   * not count). Past it, the task's signal is aborted, `run` rejects with KeyedMutexTimeoutError and
   * the next task under the key starts. Unset: no limit.
   */
  timeoutMs?: number;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * Runs async tasks one at a time per key, in the order they were submitted; tasks under different
 * keys run concurrently. A task that throws or rejects releases its key like one that succeeds,
 * and a key is forgotten as soon as nothing is running or waiting under it, so the map holds only
 * keys that are busy right now.
 *
 * With `timeoutMs`, a task that does not settle in time releases its key anyway. It cannot be
 * stopped, so it is told instead: its AbortSignal is aborted (listeners run before the next task
 * starts, so they can undo what the task made so far), and it must change nothing once it sees the
 * signal aborted — the next task under its key may be running by then. Without `timeoutMs` a task
 * that never settles holds its key for good.
 */
export class KeyedMutex {
  /** Per busy key: settles when the last task submitted under it has finished. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Keys with a task running or waiting. */
  get size(): number {
    return this.tails.size;
  }

  isBusy(key: string): boolean {
    return this.tails.has(key);
  }

  /**
   * Runs `task` once every task submitted earlier under `key` has settled (or timed out), and
   * returns its outcome. Under an idle key the task starts synchronously, as it would with no mutex.
   */
  async run<T>(
    key: string,
    task: (signal: AbortSignal) => T | Promise<T>,
    options: KeyedMutexRunOptions = {},
  ): Promise<T> {
    const before = this.tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    // Tails only ever resolve, so a failed task never fails those queued behind it.
    const tail = before ? before.then(() => done) : done;
    this.tails.set(key, tail);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (before) await before;
      const { timeoutMs } = options;
      if (timeoutMs === undefined) return await task(NEVER_ABORTED);
      const controller = new AbortController();
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          const error = new KeyedMutexTimeoutError(key, timeoutMs);
          controller.abort(error);
          reject(error);
        }, timeoutMs);
      });
      // The executor runs at once: the task still starts synchronously, and a throw rejects.
      const running = new Promise<T>((resolve) => resolve(task(controller.signal)));
      // A task that settles after its timeout is ignored: the race has handled its rejection too.
      return await Promise.race([running, timedOut]);
    } finally {
      clearTimeout(timer);
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
