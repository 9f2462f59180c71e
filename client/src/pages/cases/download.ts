import type { ErrorCode } from '@parley/shared';
import { accessToken, api, ApiError } from '../../api/http.ts';

/** A signed-in GET whose answer is not JSON; a 401 gets one refresh through `api`. */
async function authorisedFetch(path: string): Promise<Response> {
  const send = () => fetch(`/api${path}`, { headers: { Authorization: `Bearer ${accessToken() ?? ''}` } });
  let response = await send();
  if (response.status === 401) {
    // `api` refreshes an expired sign-in; this cheap read only serves to trigger it.
    await api('/auth/me').catch(() => undefined);
    response = await send();
  }
  if (!response.ok) {
    let code: ErrorCode = 'INTERNAL';
    let message = `The server answered ${response.status}`;
    try {
      const body = (await response.json()) as { error: { code: ErrorCode; message: string } };
      code = body.error.code;
      message = body.error.message;
    } catch {
      // Not a JSON error: keep the status.
    }
    throw new ApiError(code, message, response.status);
  }
  return response;
}

/** Downloads `path` as a file named `name` (the browser's own save). */
export async function downloadFile(path: string, name: string): Promise<void> {
  const blob = await (await authorisedFetch(path)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** A plain-text answer (the case note). */
export async function fetchText(path: string): Promise<string> {
  return (await authorisedFetch(path)).text();
}
