import type { Db } from '../db/types.ts';
import { afterFailure, lockedUntil, type AttemptPolicy, type AttemptState } from './attemptPolicy.ts';

/**
 * Stored per-account attempt counts (table AttemptThrottle), so a lock survives a restart and holds
 * on every node. Keys name what is guessed at: `login:<email>`, `kiosk-pin:<consultation id>`.
 */
export class AttemptThrottleRepository {
  constructor(private readonly db: Db) {}

  async lockedUntil(key: string, now: Date): Promise<Date | null> {
    const row = await this.db.attemptThrottle.findUnique({
      where: { key },
      select: { failures: true, windowStartedAt: true, lockedUntil: true },
    });
    return lockedUntil(row, now);
  }

  /**
   * Counts one failure and returns the new state. The row is locked for the read-modify-write, so
   * concurrent failures from many addresses all count.
   */
  async recordFailure(key: string, now: Date, policy: AttemptPolicy): Promise<AttemptState> {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "AttemptThrottle" ("key", "failures", "windowStartedAt", "updatedAt")
        VALUES (${key}, 0, ${now}, ${now})
        ON CONFLICT ("key") DO NOTHING`;
      const [row] = await tx.$queryRaw<AttemptState[]>`
        SELECT "failures", "windowStartedAt", "lockedUntil" FROM "AttemptThrottle"
        WHERE "key" = ${key} FOR UPDATE`;
      const next = afterFailure(row && row.failures > 0 ? row : null, now, policy);
      await tx.attemptThrottle.update({ where: { key }, data: next });
      return next;
    });
  }

  /** Forgets the failures (a successful attempt, or an administrator's unlock). */
  async clear(key: string): Promise<boolean> {
    const { count } = await this.db.attemptThrottle.deleteMany({ where: { key } });
    return count > 0;
  }

  /** Removes rows whose window and lock are both over: nothing about them counts any more. */
  async sweep(now: Date, policy: AttemptPolicy): Promise<number> {
    const { count } = await this.db.attemptThrottle.deleteMany({
      where: {
        windowStartedAt: { lte: new Date(now.getTime() - policy.windowMs) },
        OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
      },
    });
    return count;
  }
}

/** The key of sign-in attempts at one email address (known or not: a lock reveals no account). */
export function signInKey(email: string): string {
  return `login:${email.trim().toLowerCase()}`;
}
