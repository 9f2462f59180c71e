import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { findLanguage } from '@parley/shared';
import type enClient from './locales/en/client.json';

/** A sentence a detained client reads: the keys of the `client` namespace. */
export type ClientStringKey = keyof typeof enClient;
export type ClientTextVars = Record<string, string | number>;
export type ClientText = (key: ClientStringKey, vars?: ClientTextVars) => string;

const ISOLATE_START = '\u2068'; // FIRST STRONG ISOLATE
const ISOLATE_END = '\u2069'; // POP DIRECTIONAL ISOLATE

/**
 * In right-to-left languages each inserted value is wrapped in Unicode directional isolates, so a
 * time such as "2:30 PM" does not scramble the Arabic sentence around it.
 */
export function isolateValues(
  language: string,
  vars: ClientTextVars | undefined,
): ClientTextVars | undefined {
  if (!vars || findLanguage(language)?.direction !== 'rtl') return vars;
  return Object.fromEntries(
    Object.entries(vars).map(([name, value]) => [name, ISOLATE_START + String(value) + ISOLATE_END]),
  );
}

/**
 * The client-facing text in `language` (the kiosk's chosen language), or in the staff language when
 * none is given (a staff member's own call screen). Suspends until the language's catalog is loaded.
 */
export function useClientText(language?: string): ClientText {
  const { t, i18n } = useTranslation('client', language ? { lng: language } : undefined);
  const shownIn = language ?? i18n.language;
  return useCallback<ClientText>((key, vars) => t(key, isolateValues(shownIn, vars) ?? {}), [t, shownIn]);
}
