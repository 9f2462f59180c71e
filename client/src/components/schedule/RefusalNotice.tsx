import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/http.ts';
import { useRefusalText } from './refusalMessages.ts';

/**
 * A booking refusal in plain words: one line per broken rule (the server lists every rule in
 * `details`, with the rule's code as `path`).
 */
export function RefusalNotice({ error }: { error: ApiError | undefined }) {
  const { t } = useTranslation('staff');
  const refusalText = useRefusalText();
  if (!error) return null;
  const ruleCodes = error.code === 'VALIDATION_FAILED' ? [] : (error.details ?? []).map((d) => d.path);
  const codes = ruleCodes.length > 0 ? ruleCodes : [error.code];
  return (
    <div className="notice error" role="alert">
      <strong>{t('booking.refused')}</strong>
      <ul className="refusal-list">
        {codes.map((code) => (
          <li key={code} data-code={code}>
            {refusalText(code, error.message)}
          </li>
        ))}
      </ul>
      {error.code === 'VALIDATION_FAILED' && error.details && (
        <ul className="refusal-list">
          {error.details.map((d) => (
            <li key={d.path}>
              {d.path}: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
