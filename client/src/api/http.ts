import type { AuthResponse, ErrorBody, ErrorCode, SessionUser } from '@parley/shared';

const STORAGE_KEY = 'parley.session';

interface StoredSession {
  accessToken: string;
  refreshToken: string;
  user: SessionUser;
}

/** An API refusal with its stable code, for screens to explain. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

let session: StoredSession | null = readStoredSession();
const listeners = new Set<(user: SessionUser | null) => void>();

function readStoredSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return null;
  }
}

function setSession(next: StoredSession | null): void {
  session = next;
  if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else localStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener(next?.user ?? null);
}

export function currentUser(): SessionUser | null {
  return session?.user ?? null;
}

export function onSessionChange(listener: (user: SessionUser | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function accessToken(): string | null {
  return session?.accessToken ?? null;
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as ErrorBody;
    return new ApiError(body.error.code, body.error.message, response.status, body.error.details);
  } catch {
    return new ApiError('INTERNAL', `The server answered ${response.status}`, response.status);
  }
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new pair; concurrent callers share one refresh. */
function refreshSession(): Promise<boolean> {
  const current = session;
  if (!current) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      const response = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
      if (!response.ok) {
        setSession(null);
        return false;
      }
      const body = (await response.json()) as AuthResponse;
      setSession({ accessToken: body.accessToken, refreshToken: body.refreshToken, user: body.user });
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Calls the API as the signed-in user, refreshing an expired access token once. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const send = () =>
    fetch(`/api${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(session ? { Authorization: `Bearer ${session.accessToken}` } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  let response = await send();
  if (response.status === 401 && session && (await refreshSession())) {
    response = await send();
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export async function signIn(email: string, password: string): Promise<SessionUser> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw await toApiError(response);
  const body = (await response.json()) as AuthResponse;
  setSession({ accessToken: body.accessToken, refreshToken: body.refreshToken, user: body.user });
  return body.user;
}

export async function signOut(): Promise<void> {
  const current = session;
  setSession(null);
  if (current) {
    await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    }).catch(() => undefined);
  }
}
