import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { i18n } from './i18n.ts';

/**
 * A language's name in the reader's UI language ("Spanish", "español"): the catalog's name where
 * one is written (`common:languageNames`: Intl has no name for Mam or Q'anjob'al, says "quiché"
 * where speakers write K'iche', and "Chinese" where an interpreter needs "Mandarin"), else
 * Intl.DisplayNames, else the code. Capitalised, as it stands alone in a cell, a header or a list.
 */
export function languageName(code: string, uiLanguage: string, t?: TFunction<'common'>): string {
  const written = t?.(`languageNames.${code}` as 'languageNames.mam', { defaultValue: '' });
  if (written) return written;
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([uiLanguage], { type: 'language', fallback: 'none' }).of(code);
  } catch {
    name = undefined;
  }
  if (!name) return code;
  return name.charAt(0).toLocaleUpperCase(uiLanguage) + name.slice(1);
}

/** `languageName` in the staff screens' current language. */
export function useLanguageName(): (code: string) => string {
  const { t, i18n } = useTranslation('common');
  const ui = i18n.resolvedLanguage ?? i18n.language;
  return useCallback((code: string) => languageName(code, ui, t), [ui, t]);
}

/** `languageName` in the current UI language, for plain functions that are not components. */
export function currentLanguageName(code: string): string {
  const ui = i18n.resolvedLanguage ?? i18n.language;
  return languageName(code, ui, i18n.getFixedT(ui, 'common'));
}
