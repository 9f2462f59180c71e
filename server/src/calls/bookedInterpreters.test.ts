import { describe, expect, it } from 'vitest';
import { bookedInterpreters } from './bookedInterpreters.ts';

describe('bookedInterpreters', () => {
  it("one interpreter covers English and the client's language", () => {
    expect(bookedInterpreters({ interpreterId: 'a', language: 'es', furtherInterpreters: [] })).toEqual([
      { id: 'a', pair: ['en', 'es'] },
    ]);
  });

  it('a relay through Spanish: the first covers English ↔ Spanish, the relay Spanish ↔ Mam', () => {
    expect(
      bookedInterpreters({
        interpreterId: 'a',
        language: 'mam',
        furtherInterpreters: [{ interpreterId: 'b', languageA: 'es', languageB: 'mam' }],
      }),
    ).toEqual([
      { id: 'a', pair: ['en', 'es'] },
      { id: 'b', pair: ['es', 'mam'] },
    ]);
  });

  it('a relay booked on the English side: the first covers Spanish ↔ Mam, the relay English ↔ Spanish', () => {
    expect(
      bookedInterpreters({
        interpreterId: 'mam',
        language: 'mam',
        furtherInterpreters: [
          { interpreterId: 'spanish', languageA: 'en', languageB: 'es' },
          { interpreterId: 'partner', languageA: 'en', languageB: 'es' },
        ],
      }),
    ).toEqual([
      { id: 'mam', pair: ['es', 'mam'] },
      { id: 'spanish', pair: ['en', 'es'] },
      { id: 'partner', pair: ['en', 'es'] },
    ]);
  });

  it('a booth partner covers the same pair; the first interpreter listed again is not doubled', () => {
    expect(
      bookedInterpreters({
        interpreterId: 'a',
        language: 'es',
        furtherInterpreters: [
          { interpreterId: 'b', languageA: 'en', languageB: 'es' },
          { interpreterId: 'a', languageA: 'en', languageB: 'es' },
        ],
      }),
    ).toEqual([
      { id: 'a', pair: ['en', 'es'] },
      { id: 'b', pair: ['en', 'es'] },
    ]);
  });

  it('refuses a stored language it does not know', () => {
    expect(() =>
      bookedInterpreters({
        interpreterId: 'a',
        language: 'es',
        furtherInterpreters: [{ interpreterId: 'b', languageA: 'es', languageB: 'xx' }],
      }),
    ).toThrow(RangeError);
  });
});
