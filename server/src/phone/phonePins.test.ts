import { describe, expect, it } from 'vitest';
import { findPhoneSeat, maskNumber, phonePin, PinAttempts } from './phonePins.ts';

describe('phone PINs', () => {
  it('are six digits, stable, different per seat and per call, and depend on the secret', () => {
    const pin = phonePin('s', 'c1', 'ATTORNEY');
    expect(pin).toMatch(/^\d{6}$/);
    expect(phonePin('s', 'c1', 'ATTORNEY')).toBe(pin);
    const all = new Set([
      pin,
      phonePin('s', 'c1', 'INTERPRETER'),
      phonePin('s', 'c1', 'CLIENT'),
      phonePin('s', 'c2', 'ATTORNEY'),
      phonePin('t', 'c1', 'ATTORNEY'),
    ]);
    expect(all.size).toBe(5);
  });

  it('open the seat they were made for among the open calls, and nothing else', () => {
    const open = [
      { id: 'c1', interpreterId: 'i1' },
      { id: 'c2', interpreterId: null },
    ];
    expect(findPhoneSeat('s', open, phonePin('s', 'c1', 'INTERPRETER'))).toEqual({
      consultationId: 'c1',
      role: 'INTERPRETER',
    });
    expect(findPhoneSeat('s', open, phonePin('s', 'c2', 'CLIENT'))).toEqual({
      consultationId: 'c2',
      role: 'CLIENT',
    });
    // No interpreter booked: that seat's PIN opens nothing.
    expect(findPhoneSeat('s', open, phonePin('s', 'c2', 'INTERPRETER'))).toBeNull();
    expect(findPhoneSeat('s', open, phonePin('s', 'c3', 'CLIENT'))).toBeNull();
    expect(findPhoneSeat('s', open, '12345')).toBeNull();
    // The same call listed twice stands for a collision: refused rather than guessed.
    expect(findPhoneSeat('s', [...open, open[0]!], phonePin('s', 'c1', 'ATTORNEY'))).toBeNull();
  });

  it('wrong PINs are limited per caller and overall, in a sliding window', () => {
    const attempts = new PinAttempts({ perCaller: 2, overall: 3, windowMs: 1000 });
    attempts.recordFailure('a', 0);
    expect(attempts.blocked('a', 1)).toBeNull();
    attempts.recordFailure('a', 1);
    expect(attempts.blocked('a', 2)).toBe('CALLER');
    expect(attempts.blocked('b', 2)).toBeNull();
    attempts.recordFailure('b', 2);
    expect(attempts.blocked('c', 3)).toBe('OVERALL');
    expect(attempts.blocked('a', 1002)).toBeNull();
  });

  it('mask numbers down to their last two digits', () => {
    expect(maskNumber('+1 (601) 555-0123')).toBe('•••••••••23');
    expect(maskNumber(undefined)).toBe('unknown');
    expect(maskNumber('7')).toBe('7');
  });
});
