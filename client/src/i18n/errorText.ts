import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http.ts';
import type enErrors from './locales/en/errors.json';

type ErrorKey = keyof typeof enErrors;

/**
 * Where the error was met, when that changes what to do next: `NOT_FOUND` during a booking means
 * "reload and book again", on the call page "this call does not exist". i18next reads
 * `<CODE>_<context>` first and falls back to `<CODE>`.
 */
export type ErrorContext = 'booking' | 'call' | 'signIn' | 'phone';

/**
 * The human message for an API refusal (by its ErrorCode, in the staff language), for a failure to
 * reach the server at all, or for anything else thrown.
 */
export function useErrorText(context?: ErrorContext): (error: unknown) => string {
  const { t } = useTranslation('errors');
  return useCallback(
    (error: unknown) => {
      if (!(error instanceof ApiError)) return t('NETWORK');
      return t(error.code as ErrorKey, { context, defaultValue: error.message });
    },
    [t, context],
  );
}
