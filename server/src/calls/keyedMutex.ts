/**
 * Runs async tasks one at a time per key, in the order they were submitted; tasks under different
 * keys run concurrently. A task that throws or rejects releases its key like one that succeeds,
 * and a key is forgotten as soon as nothing is running or waiting under it, so the map holds only
 * keys that are busy right now.
 *
 * Nothing here times out: a task that never settles holds its key, so tasks must settle.
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
   * Runs `task` once every task submitted earlier under `key` has settled, and returns its outcome.
   * Under an idle key the task starts synchronously, as it would with no mutex.
   */
  async run<T>(key: string, task: () => T | Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    // Tails only ever resolve, so a failed task never fails those queued behind it.
    const tail = before ? before.then(() => done) : done;
    this.tails.set(key, tail);
    try {
      if (before) await before;
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
