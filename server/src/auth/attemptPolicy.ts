/**
 * Per-account attempt limits, beside the per-address ones (http/rateLimit.ts): many addresses must
 * not get many guesses at one account. Pure: the repository applies these to stored state.
 */

export interface AttemptPolicy {
  /** Failures within `windowMs` that lock the account. */
  maxFailures: number;
  windowMs: number;
  /** How long a lock lasts (an administrator can lift it sooner). */
  lockMs: number;
}

export interface AttemptState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

/** Ten wrong passwords in fifteen minutes lock the account for fifteen minutes. */
export const DEFAULT_SIGN_IN_POLICY: AttemptPolicy = {
  maxFailures: 10,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

/** Until when attempts are refused without being tried, or null. */
export function lockedUntil(state: AttemptState | null, now: Date): Date | null {
  return state?.lockedUntil && state.lockedUntil > now ? state.lockedUntil : null;
}

/** The state after one more failure. A window that ran out, or a lock that ended, starts afresh. */
export function afterFailure(state: AttemptState | null, now: Date, policy: AttemptPolicy): AttemptState {
  const expired =
    !state ||
    now.getTime() - state.windowStartedAt.getTime() >= policy.windowMs ||
    (state.lockedUntil !== null && state.lockedUntil <= now);
  const failures = expired ? 1 : state.failures + 1;
  const windowStartedAt = expired ? now : state.windowStartedAt;
  const lock = lockedUntil(state, now);
  return {
    failures,
    windowStartedAt,
    lockedUntil: lock ?? (failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null),
  };
}
