/**
 * Who is trying a phone PIN, as far as Parley can tell without trusting the caller. `source` is the
 * address the SIP request came from (the trunk or PBX: many callers may share it). `identity` is
 * the caller as the trunk asserts it (P-Asserted-Identity, RFC 3325) from that source, or null when
 * the trunk asserts nothing: the From header is chosen by the caller and counts for nothing here.
 */
export interface PinTrier {
  source: string;
  identity: string | null;
}

export interface PinLimits {
  /** Wrong PINs one asserted identity may make in `windowMs`; then it is refused until they age out. */
  perIdentity: number;
  /** Wrong PINs one source may make in `windowMs` before its checks are spaced out. */
  perSource: number;
  /** Past this many, a source's PIN checks run at most one per `sourceSpacingMs`. */
  sourceSpacingMs: number;
  /** Wrong PINs over all sources in `windowMs` before every check is spaced out (the backstop). */
  overall: number;
  /** Past `overall`, PIN checks run at most one per `overallSpacingMs`, whoever makes them. */
  overallSpacingMs: number;
  /** A check that would wait longer than this is refused for now ("too many"); the caller may call again. */
  maxWaitMs: number;
  windowMs: number;
}

/**
 * The defaults. Per identity as the kiosk counts per device (kiosk/kioskAttempts.ts). Per source and
 * overall there is no lockout, only back-off: a lockout of the trunk's address or of everyone would
 * let one stranger with a phone shut every caller out for a quarter of an hour. Under a sustained
 * guessing attack the backstop lets through one check every 10 s, 90 per 15 minutes, which with a
 * few hundred open seats (each guess: seats / 10⁶) keeps a hit improbable for days, while a caller
 * with the right PIN still gets in after a wait.
 */
export const PHONE_PIN_LIMITS: PinLimits = {
  perIdentity: 5,
  perSource: 20,
  sourceSpacingMs: 3_000,
  overall: 100,
  overallSpacingMs: 10_000,
  maxWaitMs: 60_000,
  windowMs: 15 * 60_000,
};

export type PinAdmission = { kind: 'now' } | { kind: 'wait'; ms: number } | { kind: 'refused' };

/**
 * Failed phone PINs, counted per asserted identity, per source and overall in a sliding window.
 * Pure bookkeeping with the time passed in; the gateway decides what counts as a failure.
 */
export class PinAttempts {
  private readonly failures = new Map<string, number[]>();
  /** When the next spaced-out check of a throttled bucket may run. */
  private readonly nextSlot = new Map<string, number>();

  constructor(readonly limits: PinLimits = PHONE_PIN_LIMITS) {}

  /** Whether this identity is locked out now (too many wrong PINs of its own). */
  identityBlocked(who: PinTrier, now: number): boolean {
    return who.identity !== null && this.count(identityKey(who), now) >= this.limits.perIdentity;
  }

  /** Whether checks from `who`'s source, or from everyone, are spaced out now: for logs and tests. */
  throttled(who: PinTrier, now: number): { source: boolean; overall: boolean } {
    return {
      source: this.count(sourceKey(who), now) >= this.limits.perSource,
      overall: this.count(OVERALL, now) >= this.limits.overall,
    };
  }

  /**
   * May `who` have a PIN checked: now, after a wait (its slot is reserved), or not now. Call once per
   * check, then wait the time it says.
   */
  admit(who: PinTrier, now: number): PinAdmission {
    if (this.identityBlocked(who, now)) return { kind: 'refused' };
    const throttled = this.throttled(who, now);
    const buckets: [string, number][] = [];
    if (throttled.source) buckets.push([sourceKey(who), this.limits.sourceSpacingMs]);
    if (throttled.overall) buckets.push([OVERALL, this.limits.overallSpacingMs]);
    if (buckets.length === 0) return { kind: 'now' };
    const at = Math.max(now, ...buckets.map(([key]) => this.nextSlot.get(key) ?? now));
    if (at - now > this.limits.maxWaitMs) return { kind: 'refused' };
    for (const [key, spacing] of buckets) this.nextSlot.set(key, at + spacing);
    return at === now ? { kind: 'now' } : { kind: 'wait', ms: at - now };
  }

  recordFailure(who: PinTrier, now: number): void {
    const keys = [sourceKey(who), OVERALL];
    if (who.identity !== null) keys.push(identityKey(who));
    for (const key of keys) {
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
    if (this.failures.size > 10_000) this.prune(now);
  }

  private count(key: string, now: number): number {
    return this.recent(key, now).length;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
  }

  /** Memory stays bounded: forget keys whose failures have all left the window. */
  private prune(now: number): void {
    for (const [key, times] of this.failures)
      if (!times.some((t) => t > now - this.limits.windowMs)) {
        this.failures.delete(key);
        this.nextSlot.delete(key);
      }
  }
}

const OVERALL = 'overall';
const sourceKey = (who: PinTrier) => `source:${who.source}`;
const identityKey = (who: PinTrier) => `identity:${who.source}|${who.identity ?? ''}`;

/**
 * The caller's number as the trunk asserts it: the user part of P-Asserted-Identity (RFC 3325),
 * which a trunk sets for the line the call came in on (a caller cannot choose it, unlike From).
 * Only sources on SIP_ALLOWED_SOURCES reach this, and they are the trust domain that asserts it.
 */
export function assertedIdentity(header: unknown): string | null {
  const values = Array.isArray(header) ? header : [header];
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const user = /<?(?:sips?|tel):\+?([^@;>]+)/i.exec(value)?.[1];
    if (user && /^[0-9A-Za-z.*#\-()]{1,64}$/.test(user)) return user;
  }
  return null;
}
