/**
 * The languages Parley schedules interpreters for and translates client screens into.
 * One list for the whole product: staff pick from it, interpreters declare from it, kiosks render
 * in it. Codes are BCP-47.
 */
export const LANGUAGES = [
  { code: 'en', englishName: 'English', nativeName: 'English', direction: 'ltr' },
  { code: 'es', englishName: 'Spanish', nativeName: 'Español', direction: 'ltr' },
  { code: 'ht', englishName: 'Haitian Creole', nativeName: 'Kreyòl ayisyen', direction: 'ltr' },
  { code: 'quc', englishName: "K'iche'", nativeName: "K'iche'", direction: 'ltr' },
  { code: 'mam', englishName: 'Mam', nativeName: 'Qyol Mam', direction: 'ltr' },
  { code: 'kjb', englishName: "Q'anjob'al", nativeName: "Q'anjob'al", direction: 'ltr' },
  { code: 'pt', englishName: 'Portuguese', nativeName: 'Português', direction: 'ltr' },
  { code: 'fr', englishName: 'French', nativeName: 'Français', direction: 'ltr' },
  { code: 'ar', englishName: 'Arabic', nativeName: 'العربية', direction: 'rtl' },
  { code: 'hi', englishName: 'Hindi', nativeName: 'हिन्दी', direction: 'ltr' },
  { code: 'pa', englishName: 'Punjabi', nativeName: 'ਪੰਜਾਬੀ', direction: 'ltr' },
  { code: 'bn', englishName: 'Bengali', nativeName: 'বাংলা', direction: 'ltr' },
  { code: 'ne', englishName: 'Nepali', nativeName: 'नेपाली', direction: 'ltr' },
  { code: 'ru', englishName: 'Russian', nativeName: 'Русский', direction: 'ltr' },
  { code: 'ro', englishName: 'Romanian', nativeName: 'Română', direction: 'ltr' },
  { code: 'tr', englishName: 'Turkish', nativeName: 'Türkçe', direction: 'ltr' },
  { code: 'ti', englishName: 'Tigrinya', nativeName: 'ትግርኛ', direction: 'ltr' },
  { code: 'am', englishName: 'Amharic', nativeName: 'አማርኛ', direction: 'ltr' },
  { code: 'wo', englishName: 'Wolof', nativeName: 'Wolof', direction: 'ltr' },
  { code: 'zh', englishName: 'Mandarin', nativeName: '中文', direction: 'ltr' },
  { code: 'vi', englishName: 'Vietnamese', nativeName: 'Tiếng Việt', direction: 'ltr' },
] as const;

export type Language = (typeof LANGUAGES)[number];
export type LanguageCode = Language['code'];

/** The 20 languages clients speak; English is the attorneys' side of the call. */
export const CLIENT_LANGUAGES = LANGUAGES.filter((l) => l.code !== 'en');

export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]];

const byCode = new Map<string, Language>(LANGUAGES.map((l) => [l.code, l]));

export function isLanguageCode(value: string): value is LanguageCode {
  return byCode.has(value);
}

/** Returns the language for a code, or undefined for an unknown code. */
export function findLanguage(code: string): Language | undefined {
  return byCode.get(code);
}
