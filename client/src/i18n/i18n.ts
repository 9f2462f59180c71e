/**
 * The screens' words, in i18next catalogs: `locales/<language>/<namespace>.json`, one file per
 * language and namespace, each loaded the first time a screen asks for it (Vite makes every file a
 * chunk of its own), so a kiosk in Tigrinya never downloads the other nineteen languages.
 *
 * Namespaces: `client` is what a detained client reads (the kiosk and the client's side of the call,
 * in all 20 client languages plus English); `common`, `auth`, `admin` and `staff` (the staff's
 * working day: home, schedule, calendar, consultations, cases) are staff-facing, in English and
 * Spanish, as are `call` (the attorney's, interpreter's and staff member's call screen) and `phone`
 * (the call screen's phone panel: PINs, dial-out); `errors` holds one message per shared ErrorCode.
 */
import i18next, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGE_CODES, type LanguageCode } from '@parley/shared';

export const NAMESPACES = ['common', 'auth', 'admin', 'staff', 'call', 'errors', 'client', 'phone'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** The languages the staff-facing screens are written in. */
export const STAFF_LANGUAGES = ['en', 'es'] as const;
export type StaffLanguage = (typeof STAFF_LANGUAGES)[number];

/**
 * Where a catalog has no text for a key. The Mayan languages' screens are Spanish (with a few
 * native words) until a native speaker writes them: most of their speakers held in the US read some
 * Spanish. Everything else falls back to English, the one complete catalog.
 */
export const FALLBACK_LANGUAGES: Record<string, readonly LanguageCode[]> = {
  quc: ['es', 'en'],
  mam: ['es', 'en'],
  kjb: ['es', 'en'],
  default: ['en'],
};

type CatalogModule = { default: ResourceKey };
const catalogFiles = import.meta.glob<CatalogModule>('./locales/*/*.json');

/** Reads a catalog file on first use; a language with no file for a namespace has no text there. */
const lazyCatalogs: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, done) {
    const load = catalogFiles[`./locales/${language}/${namespace}.json`];
    if (!load) {
      done(null, {});
      return;
    }
    load().then(
      (file) => done(null, file.default),
      (err: unknown) => done(err instanceof Error ? err : new Error(String(err)), false),
    );
  },
};

const STAFF_LANGUAGE_KEY = 'parley.language';

/** The staff screens' language: the one chosen on this browser, else the browser's, else English. */
export function preferredStaffLanguage(): StaffLanguage {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STAFF_LANGUAGE_KEY);
  const wanted = stored ?? (typeof navigator === 'undefined' ? 'en' : navigator.language);
  const primary = wanted.toLowerCase().split(/[-_]/)[0];
  return STAFF_LANGUAGES.find((l) => l === primary) ?? 'en';
}

/** Switches the staff screens' language and remembers it on this browser. */
export async function chooseStaffLanguage(language: StaffLanguage): Promise<void> {
  localStorage.setItem(STAFF_LANGUAGE_KEY, language);
  await i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

export const i18n = i18next.createInstance();

/** Starts i18next; resolves once the staff language's common, error and staff texts are loaded. */
export function startI18n(language: string = preferredStaffLanguage()): Promise<unknown> {
  return i18n
    .use(lazyCatalogs)
    .use(initReactI18next)
    .init({
      lng: language,
      supportedLngs: LANGUAGE_CODES,
      nonExplicitSupportedLngs: true,
      load: 'languageOnly',
      fallbackLng: FALLBACK_LANGUAGES,
      // `staff` too: every signed-in home page (staff, attorney, interpreter) reads it, and a
      // namespace loaded later suspends the whole shell (sign-out included) while it arrives.
      ns: ['common', 'errors', 'staff'],
      defaultNS: 'common',
      // An empty string in a catalog is a sentence not yet written: fall back, never show nothing.
      returnEmptyString: false,
      // `{name}` placeholders, as translators have them; React escapes what it renders.
      interpolation: { prefix: '{', suffix: '}', escapeValue: false },
      react: { useSuspense: true },
    });
}
