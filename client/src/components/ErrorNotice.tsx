import { useErrorText, type ErrorContext } from '../i18n/errorText.ts';
import type { ApiError } from '../api/http.ts';

/** A refusal or failure, in plain words (by its error code, in the staff language), with what to do next. */
export function ErrorNotice({ error, context }: { error: ApiError | undefined; context?: ErrorContext }) {
  const errorText = useErrorText(context);
  if (!error) return null;
  return (
    <div className="notice error" role="alert" data-code={error.code}>
      {errorText(error)}
      {error.code === 'VALIDATION_FAILED' && error.details && error.details.length > 0 && (
        <ul>
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
