import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ErrorCode } from '@parley/shared';

const CODES = new Set<string>(Object.values(ErrorCode));

/**
 * What a scheduling refusal means for the person booking, and what to try instead: the `errors`
 * catalog's message for the code (its `_booking` variant first), else the server's own message for
 * a code the catalog does not know.
 */
export function refusalText(t: TFunction<'errors'>, code: string, fallback: string): string {
  if (!CODES.has(code)) return fallback;
  const lookup = t as unknown as (key: string, options: Record<string, unknown>) => string;
  return lookup(code, { context: 'booking', defaultValue: fallback });
}

/** `refusalText` in the staff language of the screen. */
export function useRefusalText(): (code: string, fallback: string) => string {
  const { t } = useTranslation('errors');
  return useCallback((code: string, fallback: string) => refusalText(t, code, fallback), [t]);
}
