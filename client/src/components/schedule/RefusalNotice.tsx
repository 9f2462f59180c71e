import type { ApiError } from '../../api/http.ts';
import { explainRefusal } from './refusalMessages.ts';

/**
 * A booking refusal in plain words: one line per broken rule (the server lists every rule in
 * `details`, with the rule's code as `path`).
 */
export function RefusalNotice({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  const ruleCodes = error.code === 'VALIDATION_FAILED' ? [] : (error.details ?? []).map((d) => d.path);
  const codes = ruleCodes.length > 0 ? ruleCodes : [error.code];
  return (
    <div className="notice error" role="alert">
      <strong>This booking was refused.</strong>
      <ul className="refusal-list">
        {codes.map((code) => (
          <li key={code} data-code={code}>
            {explainRefusal(code, error.message)}
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
