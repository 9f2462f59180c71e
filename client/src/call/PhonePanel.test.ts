import { describe, expect, it } from 'vitest';
import enPhone from '../i18n/locales/en/phone.json';
import esPhone from '../i18n/locales/es/phone.json';
import { dialOutSeats, formatPin } from './PhonePanel.tsx';

const pins = (...roles: ('ATTORNEY' | 'INTERPRETER' | 'CLIENT')[]) =>
  roles.map((role) => ({ role, pin: '123456' }));

describe('phone panel', () => {
  it('offers the seats the dial-out API lets each role ask for', () => {
    expect(dialOutSeats('ATTORNEY', pins('ATTORNEY'))).toEqual(['ATTORNEY', 'INTERPRETER', 'CLIENT']);
    expect(dialOutSeats('INTERPRETER', pins('INTERPRETER'))).toEqual(['INTERPRETER']);
    // Staff: the call's seats, which the PIN list gives (no interpreter seat, no interpreter to call).
    expect(dialOutSeats('STAFF', pins('ATTORNEY', 'CLIENT'))).toEqual(['ATTORNEY', 'CLIENT']);
    expect(dialOutSeats('STAFF', pins('ATTORNEY', 'INTERPRETER', 'CLIENT'))).toEqual([
      'ATTORNEY',
      'INTERPRETER',
      'CLIENT',
    ]);
    expect(dialOutSeats('CLIENT', [])).toEqual([]);
  });

  it('shows a PIN in two groups of three, anything else as it is', () => {
    expect(formatPin('042917')).toBe('042 917');
    expect(formatPin('12345')).toBe('12345');
  });

  it('has every English phone text in Spanish, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(esPhone).sort()).toEqual(Object.keys(enPhone).sort());
    for (const [key, text] of Object.entries(enPhone)) {
      const spanish = (esPhone as Record<string, string>)[key]!;
      expect(spanish.trim(), key).not.toBe('');
      expect(placeholders(spanish), key).toEqual(placeholders(text));
    }
  });
});
