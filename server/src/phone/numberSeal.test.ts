import { describe, expect, it } from 'vitest';
import { NumberSeal } from './numberSeal.ts';

const SECRET = 'a-server-secret-of-some-length';
const NUMBER = '+16015550142';
const ROW = 'consultation-1|INTERPRETER';

describe('NumberSeal', () => {
  it('opens what it sealed, for the same row, and the sealed text holds no digit run of the number', () => {
    const seal = new NumberSeal(SECRET);
    const sealed = seal.seal(NUMBER, ROW);
    expect(seal.open(sealed, ROW)).toBe(NUMBER);
    expect(sealed).not.toContain('6015550142');
    expect(sealed).not.toContain('0142');
    // A fresh IV each time: the same number does not seal to the same text.
    expect(seal.seal(NUMBER, ROW)).not.toBe(sealed);
  });

  it('refuses another row, another secret, an altered seal and garbage', () => {
    const seal = new NumberSeal(SECRET);
    const sealed = seal.seal(NUMBER, ROW);
    expect(seal.open(sealed, 'consultation-2|INTERPRETER')).toBeNull();
    expect(new NumberSeal(`${SECRET}-other`).open(sealed, ROW)).toBeNull();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(seal.open([...parts.slice(0, 3), body.toString('base64url')].join('.'), ROW)).toBeNull();
    for (const bad of ['', 'v1', 'v2.a.b.c', 'v1.AAAA.BBBB.CCCC', NUMBER])
      expect(seal.open(bad, ROW)).toBeNull();
  });

  it('will not work without a secret', () => {
    expect(() => new NumberSeal('')).toThrow(/needs a secret/);
  });
});
