/** What every authenticated request needs to know about its user, beyond the token's signature. */
export interface SessionState {
  active: boolean;
  /** Access tokens issued under an older version are refused. */
  version: number;
  /** When the version last went up; call tickets issued at or before it are refused. */
  revokedAt: Date | null;
}

/**
 * Where a process keeps users' session states between requests. Revocation must never be late:
 * whoever changes a user's state calls `invalidate` in the same process right after the change is
 * committed, and a read that started before that invalidation is never stored. Several nodes will
 * share Redis later: an implementation there publishes `invalidate` to the others.
 */
export interface SessionStateCache {
  /**
   * The cached state, or `read()`'s answer (cached unless `invalidate` ran for anyone while it was
   * being read, which could mean the answer is already stale).
   */
  get(userId: string, read: () => Promise<SessionState | null>): Promise<SessionState | null>;
  /** Forgets the user's state; the next check reads the database. Synchronous on purpose. */
  invalidate(userId: string): void;
}

/**
 * One process's cache. The time limit is only a backstop for changes made outside this process
 * (another node before the shared cache exists, an operator's SQL); every change Parley makes in
 * this process invalidates at once.
 */
export class InProcessSessionStateCache implements SessionStateCache {
  private readonly entries = new Map<string, { state: SessionState | null; expiresAt: number }>();
  /** Goes up on every invalidation: a read that started under an older generation is not cached. */
  private generation = 0;

  constructor(
    private readonly options: { ttlMs: number; maxEntries: number; now?: () => number } = {
      ttlMs: 10_000,
      maxEntries: 10_000,
    },
  ) {}

  async get(userId: string, read: () => Promise<SessionState | null>): Promise<SessionState | null> {
    const now = this.now();
    const hit = this.entries.get(userId);
    if (hit && hit.expiresAt > now) return hit.state;
    const generation = this.generation;
    const state = await read();
    if (generation === this.generation) {
      if (this.entries.size >= this.options.maxEntries) this.evictOldest();
      this.entries.delete(userId);
      this.entries.set(userId, { state, expiresAt: this.now() + this.options.ttlMs });
    }
    return state;
  }

  invalidate(userId: string): void {
    this.generation++;
    this.entries.delete(userId);
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOldest(): void {
    // Maps iterate in insertion order, and every store re-inserts: the first key is the oldest.
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
