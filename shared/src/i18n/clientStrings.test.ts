import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../languages.ts';
import type { LanguageCode } from '../languages.ts';
import type { ClientStringKey } from './clientStrings.ts';
import { CLIENT_STRING_KEYS, CLIENT_STRINGS, TRANSLATION_REVIEW, clientText } from './clientStrings.ts';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

/** English strings long enough to be sentences rather than labels or loanwords. */
const SENTENCE_KEYS = CLIENT_STRING_KEYS.filter((key) => CLIENT_STRINGS.en[key].length > 12);

/**
 * [language, key] pairs allowed to equal the English text although the English is longer than 12
 * characters. Empty: no sentence is the same in English and another language. Add a pair only with a
 * reason next to it (e.g. a product name that is never translated).
 */
const SAME_AS_ENGLISH_ALLOWED: ReadonlyArray<readonly [LanguageCode, ClientStringKey]> = [];

const nonEnglish = LANGUAGES.filter((l) => l.code !== 'en');

describe('client strings', () => {
  it('has no duplicate keys', () => {
    expect(new Set(CLIENT_STRING_KEYS).size).toBe(CLIENT_STRING_KEYS.length);
  });

  it('has every key, non-empty, and nothing else, for every language', () => {
    expect(Object.keys(CLIENT_STRINGS).sort()).toEqual(LANGUAGES.map((l) => l.code).sort());
    for (const { code } of LANGUAGES) {
      const strings = CLIENT_STRINGS[code];
      expect(Object.keys(strings).sort(), code).toEqual([...CLIENT_STRING_KEYS].sort());
      for (const key of CLIENT_STRING_KEYS) {
        expect(typeof strings[key], `${code}.${key}`).toBe('string');
        expect(strings[key].trim(), `${code}.${key}`).not.toBe('');
      }
    }
  });

  it('keeps the same placeholders as English in every translation', () => {
    for (const { code } of LANGUAGES) {
      for (const key of CLIENT_STRING_KEYS) {
        expect(placeholders(CLIENT_STRINGS[code][key]), `${code}.${key}`).toEqual(
          placeholders(CLIENT_STRINGS.en[key]),
        );
      }
    }
    expect(placeholders(CLIENT_STRINGS.en.timeRemaining)).toEqual(['minutes']);
    expect(placeholders(CLIENT_STRINGS.en.startsAt)).toEqual(['time']);
  });

  it('has no unbalanced braces that would look like a broken placeholder', () => {
    for (const { code } of LANGUAGES) {
      for (const key of CLIENT_STRING_KEYS) {
        const withoutPlaceholders = CLIENT_STRINGS[code][key].replace(/\{\w+\}/g, '');
        expect(withoutPlaceholders, `${code}.${key}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('translates every sentence: none is left in English', () => {
    expect(SENTENCE_KEYS.length).toBeGreaterThan(20);
    const allowed = new Set(SAME_AS_ENGLISH_ALLOWED.map(([code, key]) => `${code}.${key}`));
    const untranslated: string[] = [];
    for (const { code } of nonEnglish) {
      for (const key of SENTENCE_KEYS) {
        if (CLIENT_STRINGS[code][key] === CLIENT_STRINGS.en[key] && !allowed.has(`${code}.${key}`)) {
          untranslated.push(`${code}.${key}`);
        }
      }
    }
    expect(untranslated).toEqual([]);
  });

  it('flags for review every language that falls back to Spanish text', () => {
    for (const { code } of nonEnglish) {
      if (code === 'es') continue;
      const spanishSentences = SENTENCE_KEYS.filter(
        (key) => CLIENT_STRINGS[code][key] === CLIENT_STRINGS.es[key],
      );
      if (spanishSentences.length > 0) {
        expect(TRANSLATION_REVIEW[code], `${code} reuses Spanish for ${spanishSentences.join(', ')}`).toMatch(
          /Spanish/,
        );
      }
    }
  });

  it('asks for native review of the languages drafted with least confidence', () => {
    for (const code of ['quc', 'mam', 'kjb', 'wo', 'ti'] as const) {
      expect(TRANSLATION_REVIEW[code], code).toMatch(/native/);
    }
    for (const note of Object.values(TRANSLATION_REVIEW)) expect(note?.trim()).not.toBe('');
  });
});

describe('clientText', () => {
  it('returns the text in the requested language', () => {
    expect(clientText('fr', 'welcome')).toBe('Bienvenue');
    expect(clientText('en', 'join')).toBe('Join the call');
  });

  it('accepts region subtags and any letter case', () => {
    expect(clientText('pt-BR', 'back')).toBe(CLIENT_STRINGS.pt.back);
    expect(clientText('ZH_Hans', 'back')).toBe(CLIENT_STRINGS.zh.back);
    expect(clientText('HT', 'back')).toBe(CLIENT_STRINGS.ht.back);
  });

  it('falls back to Spanish for an unknown language', () => {
    expect(clientText('xx', 'welcome')).toBe(CLIENT_STRINGS.es.welcome);
    expect(clientText('', 'welcome')).toBe(CLIENT_STRINGS.es.welcome);
    expect(clientText('toString', 'welcome')).toBe(CLIENT_STRINGS.es.welcome);
    expect(clientText('__proto__', 'welcome')).toBe(CLIENT_STRINGS.es.welcome);
  });

  it('falls back to Spanish, then English, when a string is empty', () => {
    const strings = CLIENT_STRINGS;
    const savedFr = strings.fr.back;
    const savedEs = strings.es.back;
    try {
      strings.fr.back = '';
      expect(clientText('fr', 'back')).toBe(savedEs);
      strings.es.back = ' ';
      expect(clientText('fr', 'back')).toBe('Back');
      expect(clientText('xx', 'back')).toBe('Back');
    } finally {
      strings.fr.back = savedFr;
      strings.es.back = savedEs;
    }
  });

  it('substitutes placeholders', () => {
    expect(clientText('en', 'timeRemaining', { minutes: 12 })).toBe('12 minutes left');
    expect(clientText('es', 'startsAt', { time: '14:30' })).toBe('Empieza a las 14:30');
    expect(clientText('ru', 'timeRemaining', { minutes: 3 })).toBe('Осталось минут: 3');
    expect(clientText('xx', 'timeRemaining', { minutes: 7 })).toBe('Quedan 7 minutos');
  });

  it('leaves a placeholder in place when no value is given, and ignores extra values', () => {
    expect(clientText('en', 'startsAt')).toBe('Starts at {time}');
    expect(clientText('en', 'startsAt', { minutes: 3 })).toBe('Starts at {time}');
    expect(clientText('en', 'welcome', { time: '9:00' })).toBe('Welcome');
  });

  it('isolates inserted values in right-to-left languages', () => {
    expect(clientText('ar', 'startsAt', { time: '2:30 PM' })).toBe('تبدأ الساعة \u20682:30 PM\u2069');
    expect(clientText('ar', 'timeRemaining', { minutes: 10 })).toBe('الدقائق المتبقية: \u206810\u2069');
  });
});
