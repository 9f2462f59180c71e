import type { ApiError } from '../api/http.ts';

/** A refusal or failure, in plain words, with what to do next. */
export function ErrorNotice({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <div className="notice error" role="alert">
      {error.message}
    </div>
  );
}
