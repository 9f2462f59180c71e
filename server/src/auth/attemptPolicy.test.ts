import { describe, expect, it } from 'vitest';
import { afterFailure, lockedUntil, type AttemptPolicy, type AttemptState } from './attemptPolicy.ts';

const policy: AttemptPolicy = { maxFailures: 3, windowMs: 60_000, lockMs: 300_000 };
const t0 = new Date('2026-12-01T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function fail(times: number, start: AttemptState | null = null, stepMs = 1000): AttemptState | null {
  let state = start;
  for (let i = 0; i < times; i++) state = afterFailure(state, at(i * stepMs), policy);
  return state;
}

describe('per-account attempt policy', () => {
  it('counts failures in a window and locks at the limit, for lockMs from the last failure', () => {
    expect(fail(2)).toEqual({ failures: 2, windowStartedAt: t0, lockedUntil: null });
    const locked = fail(3)!;
    expect(locked.lockedUntil).toEqual(at(2000 + 300_000));
    expect(lockedUntil(locked, at(2001))).toEqual(locked.lockedUntil);
    expect(lockedUntil(locked, at(2000 + 300_000))).toBeNull();
  });

  it('starts a new window when the old one ran out', () => {
    const state = fail(2)!;
    expect(afterFailure(state, at(60_000), policy)).toEqual({
      failures: 1,
      windowStartedAt: at(60_000),
      lockedUntil: null,
    });
  });

  it('keeps a lock while it lasts (failures during it do not extend it) and starts afresh after it', () => {
    const locked = fail(3)!;
    const during = afterFailure(locked, at(10_000), policy);
    expect(during.lockedUntil).toEqual(locked.lockedUntil);
    const after = afterFailure(locked, locked.lockedUntil!, policy);
    expect(after).toEqual({ failures: 1, windowStartedAt: locked.lockedUntil, lockedUntil: null });
  });

  it('is not locked without state or without a lock', () => {
    expect(lockedUntil(null, t0)).toBeNull();
    expect(lockedUntil(fail(1), t0)).toBeNull();
  });
});
