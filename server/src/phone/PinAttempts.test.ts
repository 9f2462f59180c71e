import { describe, expect, it } from 'vitest';
import { assertedIdentity, PinAttempts, type PinLimits } from './PinAttempts.ts';

const limits: PinLimits = {
  perIdentity: 2,
  perSource: 3,
  sourceSpacingMs: 100,
  overall: 5,
  overallSpacingMs: 1000,
  maxWaitMs: 2500,
  windowMs: 10_000,
};

describe('phone PIN attempts', () => {
  it('lock out an asserted identity, not the others behind the same trunk', () => {
    const attempts = new PinAttempts(limits);
    const alice = { source: '10.0.0.1', identity: '15550001' };
    const bob = { source: '10.0.0.1', identity: '15550002' };
    attempts.recordFailure(alice, 0);
    expect(attempts.admit(alice, 1)).toEqual({ kind: 'now' });
    attempts.recordFailure(alice, 1);
    expect(attempts.identityBlocked(alice, 2)).toBe(true);
    expect(attempts.admit(alice, 2)).toEqual({ kind: 'refused' });
    expect(attempts.admit(bob, 2)).toEqual({ kind: 'now' });
    // The same number asserted by another trunk is another line.
    expect(attempts.admit({ source: '10.0.0.9', identity: '15550001' }, 2)).toEqual({ kind: 'now' });
    // Aged out of the window: alice may try again.
    expect(attempts.admit(alice, 10_002)).toEqual({ kind: 'now' });
  });

  it('never lock out a source or everyone: past their limits, checks are spaced out instead', () => {
    const attempts = new PinAttempts(limits);
    const anonymous = { source: '10.0.0.1', identity: null };
    for (let t = 0; t < 3; t++) attempts.recordFailure(anonymous, t);
    // No identity to lock out; the source is spaced out, one check per 100 ms.
    expect(attempts.identityBlocked(anonymous, 10)).toBe(false);
    expect(attempts.throttled(anonymous, 10)).toEqual({ source: true, overall: false });
    expect(attempts.admit(anonymous, 10)).toEqual({ kind: 'now' });
    expect(attempts.admit(anonymous, 10)).toEqual({ kind: 'wait', ms: 100 });
    expect(attempts.admit(anonymous, 10)).toEqual({ kind: 'wait', ms: 200 });
    // Another trunk is not slowed by this one.
    const other = { source: '10.0.0.2', identity: null };
    expect(attempts.admit(other, 10)).toEqual({ kind: 'now' });
    attempts.recordFailure(other, 20);
    attempts.recordFailure(other, 21);
    // Five failures overall: the backstop spaces everyone to one check a second, and refuses only
    // a check that would wait longer than maxWaitMs (2.5 s here).
    expect(attempts.throttled(other, 30).overall).toBe(true);
    expect(attempts.admit(other, 30)).toEqual({ kind: 'now' });
    expect(attempts.admit(other, 30)).toEqual({ kind: 'wait', ms: 1000 });
    expect(attempts.admit(other, 30)).toEqual({ kind: 'wait', ms: 2000 });
    expect(attempts.admit(other, 30)).toEqual({ kind: 'refused' });
    // Once the failures age out, nothing is spaced.
    expect(attempts.admit(other, 20_000)).toEqual({ kind: 'now' });
    expect(attempts.admit(anonymous, 20_000)).toEqual({ kind: 'now' });
  });

  it('take the caller from P-Asserted-Identity, never from anything else', () => {
    expect(assertedIdentity('"Bob" <sip:+15551234@trunk.example>')).toBe('15551234');
    expect(assertedIdentity(['<tel:+15557654>', '<sip:x@y>'])).toBe('15557654');
    expect(assertedIdentity(undefined)).toBeNull();
    expect(assertedIdentity('<sip:@trunk>')).toBeNull();
    expect(assertedIdentity('garbage')).toBeNull();
  });
});
