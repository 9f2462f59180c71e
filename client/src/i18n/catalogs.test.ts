import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, LANGUAGES, type LanguageCode } from '@parley/shared';
import { isolateValues, type ClientStringKey } from './clientText.ts';
import { i18n, NAMESPACES, STAFF_LANGUAGES, startI18n } from './i18n.ts';
import { languageName } from './languageName.ts';
import { TRANSLATION_REVIEW } from './translationReview.ts';

type Catalog = Record<string, unknown>;
const files = import.meta.glob<Catalog>('./locales/*/*.json', { eager: true, import: 'default' });
const catalog = (language: string, namespace: string): Catalog | undefined =>
  files[`./locales/${language}/${namespace}.json`];

const en = catalog('en', 'client') as Record<ClientStringKey, string>;
const KEYS = Object.keys(en) as ClientStringKey[];
const MAYAN = ['quc', 'mam', 'kjb'] as const;
const nonEnglish = LANGUAGES.filter((l) => l.code !== 'en');
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
/** English strings long enough to be sentences rather than labels or loanwords. */
const SENTENCE_KEYS = KEYS.filter((key) => en[key].length > 12);

/** Every dotted key path of a nested catalog. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k));
}

beforeAll(async () => {
  await startI18n('en');
  await i18n.loadLanguages(LANGUAGES.map((l) => l.code));
  await i18n.loadNamespaces([...NAMESPACES]);
});

/** i18next's lookup without the compile-time key check, for keys the test builds at run time. */
const lookup = i18n.t.bind(i18n) as unknown as (key: string, options: Record<string, unknown>) => string;

/** What a screen in `language` shows for `key`, down the fallback chain. */
const shown = (language: LanguageCode, key: ClientStringKey) => i18n.getFixedT(language, 'client')(key);

describe('client catalogs', () => {
  it('has one catalog per language, each with exactly the English keys (the Mayan ones: a subset)', () => {
    for (const { code } of LANGUAGES) {
      const own = catalog(code, 'client');
      expect(own, code).toBeDefined();
      if ((MAYAN as readonly string[]).includes(code)) {
        for (const key of Object.keys(own!)) expect(KEYS, `${code}.${key}`).toContain(key);
      } else {
        expect(Object.keys(own!).sort(), code).toEqual([...KEYS].sort());
      }
      for (const [key, text] of Object.entries(own!)) {
        expect(typeof text === 'string' && text.trim() !== '', `${code}.${key}`).toBe(true);
      }
    }
  });

  it('keeps every placeholder, and no stray brace that would look like a broken one', () => {
    for (const { code } of LANGUAGES) {
      for (const [key, text] of Object.entries(catalog(code, 'client')!) as [ClientStringKey, string][]) {
        expect(placeholders(text), `${code}.${key}`).toEqual(placeholders(en[key]));
        expect(text.replace(/\{\w+\}/g, ''), `${code}.${key}`).not.toMatch(/[{}]/);
      }
    }
    expect(placeholders(en.timeRemaining)).toEqual(['minutes']);
    expect(placeholders(en.startsAt)).toEqual(['time']);
  });

  it('translates every sentence: none is shown in English', () => {
    expect(SENTENCE_KEYS.length).toBeGreaterThan(20);
    const untranslated = nonEnglish.flatMap(({ code }) =>
      SENTENCE_KEYS.filter((key) => shown(code, key) === en[key]).map((key) => `${code}.${key}`),
    );
    expect(untranslated).toEqual([]);
  });

  it("shows K'iche', Mam and Q'anjob'al screens in Spanish except their own words, and flags them for review", () => {
    expect(i18n.services.languageUtils.toResolveHierarchy('quc')).toEqual(['quc', 'es', 'en']);
    expect(i18n.services.languageUtils.toResolveHierarchy('mam')).toEqual(['mam', 'es', 'en']);
    expect(i18n.services.languageUtils.toResolveHierarchy('kjb')).toEqual(['kjb', 'es', 'en']);
    expect(shown('quc', 'chooseCall')).toBe(shown('es', 'chooseCall'));
    expect(shown('quc', 'welcome')).toBe('Utz apetik (Le damos la bienvenida)');
    expect(shown('kjb', 'no')).toBe('Maj (No)');
    for (const { code } of nonEnglish) {
      if (code === 'es') continue;
      const spanish = SENTENCE_KEYS.filter((key) => shown(code, key) === shown('es', key));
      if (spanish.length > 0)
        expect(TRANSLATION_REVIEW[code], `${code}: ${spanish.join(', ')}`).toMatch(/Spanish/);
    }
  });

  it('asks for native review of the languages drafted with least confidence', () => {
    for (const code of ['quc', 'mam', 'kjb', 'wo', 'ti'] as const)
      expect(TRANSLATION_REVIEW[code], code).toMatch(/native/);
    for (const note of Object.values(TRANSLATION_REVIEW)) expect(note?.trim()).not.toBe('');
  });

  it('reads a regional code as its language, and fills placeholders', () => {
    expect(i18n.getFixedT('pt-BR', 'client')('back')).toBe(catalog('pt', 'client')!.back);
    expect(shown('en', 'timeRemaining')).toBe('{minutes} minutes left');
    expect(i18n.getFixedT('en', 'client')('timeRemaining', { minutes: 12 })).toBe('12 minutes left');
    expect(i18n.getFixedT('es', 'client')('startsAt', { time: '14:30' })).toBe('Empieza a las 14:30');
    expect(i18n.getFixedT('ru', 'client')('timeRemaining', { minutes: 3 })).toBe('Осталось минут: 3');
  });

  it('isolates inserted values in right-to-left languages only', () => {
    const ar = i18n.getFixedT('ar', 'client');
    expect(ar('startsAt', isolateValues('ar', { time: '2:30 PM' }) ?? {})).toBe(
      'تبدأ الساعة \u20682:30 PM\u2069',
    );
    expect(isolateValues('fr', { time: '14:30' })).toEqual({ time: '14:30' });
  });
});

describe('staff catalogs and error messages', () => {
  it('has a message for every ErrorCode in English and Spanish', () => {
    for (const language of STAFF_LANGUAGES) {
      const errors = catalog(language, 'errors')!;
      const missing = Object.values(ErrorCode).filter((code) => typeof errors[code] !== 'string');
      expect(missing, language).toEqual([]);
    }
  });

  it('writes every staff screen in Spanish as in English, key for key', () => {
    for (const namespace of ['common', 'auth', 'admin', 'staff', 'call', 'errors']) {
      expect(keyPaths(catalog('es', namespace)).sort(), namespace).toEqual(
        keyPaths(catalog('en', namespace)).sort(),
      );
      for (const path of keyPaths(catalog('es', namespace))) {
        const text = lookup(path, { lng: 'es', ns: namespace });
        expect(text.trim(), `es ${namespace}.${path}`).not.toBe('');
      }
    }
  });

  it('explains a refusal in its context, else generally', () => {
    const errors = { lng: 'en', ns: 'errors' };
    expect(lookup('NOT_FOUND', { ...errors, context: 'booking' })).toBe(
      catalog('en', 'errors')!.NOT_FOUND_booking,
    );
    expect(lookup('NOT_FOUND', { ...errors, context: 'signIn' })).toBe(catalog('en', 'errors')!.NOT_FOUND);
  });
});

describe('language names on staff screens', () => {
  it('names every language in English and Spanish, never by its code', () => {
    for (const language of STAFF_LANGUAGES) {
      const t = i18n.getFixedT(language, 'common');
      for (const { code } of LANGUAGES) {
        const name = languageName(code, language, t);
        expect(name, `${language} ${code}`).not.toBe(code);
        expect(name.charAt(0), `${language} ${code}`).toBe(name.charAt(0).toLocaleUpperCase(language));
      }
    }
  });

  it('reads Intl in the reader’s language, and the catalog where Intl has no name or the wrong one', () => {
    const en = i18n.getFixedT('en', 'common');
    const es = i18n.getFixedT('es', 'common');
    expect(languageName('es', 'en', en)).toBe('Spanish');
    expect(languageName('es', 'es', es)).toBe('Español');
    expect(languageName('ht', 'es', es)).toBe('Criollo haitiano');
    expect(languageName('mam', 'es', es)).toBe('Mam');
    expect(languageName('kjb', 'en', en)).toBe("Q'anjob'al");
    expect(languageName('zh', 'en', en)).toBe('Mandarin');
    expect(languageName('zh', 'es', es)).toBe('Mandarín');
  });
});
