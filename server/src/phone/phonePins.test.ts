import { describe, expect, it } from 'vitest';
import { findPhoneSeat, maskNumber, phonePin, seatHolder } from './phonePins.ts';

describe('phone PINs', () => {
  it('are six digits, stable, different per seat, per call and per holder, and depend on the secret', () => {
    const pin = phonePin('s', 'c1', 'ATTORNEY', 'a1');
    expect(pin).toMatch(/^\d{6}$/);
    expect(phonePin('s', 'c1', 'ATTORNEY', 'a1')).toBe(pin);
    const all = new Set([
      pin,
      phonePin('s', 'c1', 'INTERPRETER', 'a1'),
      phonePin('s', 'c1', 'CLIENT', 'a1'),
      phonePin('s', 'c2', 'ATTORNEY', 'a1'),
      phonePin('t', 'c1', 'ATTORNEY', 'a1'),
      phonePin('s', 'c1', 'ATTORNEY', 'a2'),
    ]);
    expect(all.size).toBe(6);
  });

  const open = [
    { id: 'c1', attorneyId: 'a1', interpreterId: 'i1', clientId: 'k1' },
    { id: 'c2', attorneyId: 'a1', interpreterId: null, clientId: 'k2' },
  ];

  it('open the seat they were made for among the open calls, and nothing else', () => {
    expect(findPhoneSeat('s', open, phonePin('s', 'c1', 'INTERPRETER', 'i1'))).toEqual({
      consultationId: 'c1',
      role: 'INTERPRETER',
    });
    expect(findPhoneSeat('s', open, phonePin('s', 'c2', 'CLIENT', 'k2'))).toEqual({
      consultationId: 'c2',
      role: 'CLIENT',
    });
    expect(seatHolder(open[1]!, 'INTERPRETER')).toBeNull();
    expect(findPhoneSeat('s', open, phonePin('s', 'c3', 'CLIENT', 'k1'))).toBeNull();
    expect(findPhoneSeat('s', open, '12345')).toBeNull();
    // The same call listed twice stands for a collision: refused rather than guessed.
    expect(findPhoneSeat('s', [...open, open[0]!], phonePin('s', 'c1', 'ATTORNEY', 'a1'))).toBeNull();
  });

  it("stop working for someone a reschedule took off the call: the new holder's PIN differs", () => {
    const before = phonePin('s', 'c1', 'INTERPRETER', 'i1');
    const swapped = [{ ...open[0]!, interpreterId: 'i2' }];
    expect(findPhoneSeat('s', swapped, before)).toBeNull();
    expect(findPhoneSeat('s', swapped, phonePin('s', 'c1', 'INTERPRETER', 'i2'))).toEqual({
      consultationId: 'c1',
      role: 'INTERPRETER',
    });
  });

  it('mask numbers down to their last two digits', () => {
    expect(maskNumber('+1 (601) 555-0123')).toBe('•••••••••23');
    expect(maskNumber(undefined)).toBe('unknown');
    expect(maskNumber('7')).toBe('7');
  });
});
