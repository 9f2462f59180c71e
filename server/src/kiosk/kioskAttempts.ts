/**
 * Failed attempts to prove a kiosk call is one's own (a wrong 6-digit code, wrong A-Number digits, a
 * bad seat token), counted per device and per consultation. Pure bookkeeping with the time passed
 * in; the routes decide what counts as a failure.
 *
 * Why both: per device stops one tablet from trying every code; per consultation stops someone from
 * walking between tablets to guess one person's three digits (1 000 possibilities). Once a
 * consultation is locked the client can still join with the 6-digit code the officer gives them.
 */
export interface AttemptLimits {
  /** Failures a device may make in `deviceWindowMs`. */
  devicePerWindow: number;
  deviceWindowMs: number;
  /** Failed A-Number digits a consultation may see in `consultationWindowMs`. */
  consultationPerWindow: number;
  consultationWindowMs: number;
}

export const KIOSK_ATTEMPT_LIMITS: AttemptLimits = {
  devicePerWindow: 10,
  deviceWindowMs: 15 * 60 * 1000,
  // 5 of 1 000 guesses over a whole day of visits: a 0.5 % chance for a determined guesser.
  consultationPerWindow: 5,
  consultationWindowMs: 12 * 3600 * 1000,
};

export type AttemptKey = { kind: 'device'; id: string } | { kind: 'consultation'; id: string };

export class KioskAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: AttemptLimits = KIOSK_ATTEMPT_LIMITS) {}

  /**
   * When `key` may try again (ms since epoch), or null if it may try now.
   */
  blockedUntil(key: AttemptKey, now: number): number | null {
    const { max, windowMs } = this.rule(key);
    const recent = this.recent(key, now);
    if (recent.length < max) return null;
    return (recent[recent.length - max] ?? now) + windowMs;
  }

  recordFailure(key: AttemptKey, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.set(keyOf(key), recent);
    if (this.failures.size > 10_000) this.prune(now);
  }

  private recent(key: AttemptKey, now: number): number[] {
    const { windowMs } = this.rule(key);
    return (this.failures.get(keyOf(key)) ?? []).filter((t) => t > now - windowMs);
  }

  private rule(key: AttemptKey): { max: number; windowMs: number } {
    return key.kind === 'device'
      ? { max: this.limits.devicePerWindow, windowMs: this.limits.deviceWindowMs }
      : { max: this.limits.consultationPerWindow, windowMs: this.limits.consultationWindowMs };
  }

  /** Memory stays bounded: forget keys whose failures have all left their window. */
  private prune(now: number): void {
    const longest = Math.max(this.limits.deviceWindowMs, this.limits.consultationWindowMs);
    for (const [key, times] of this.failures) {
      if (!times.some((t) => t > now - longest)) this.failures.delete(key);
    }
  }
}

function keyOf(key: AttemptKey): string {
  return `${key.kind}:${key.id}`;
}
