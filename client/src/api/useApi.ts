import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './http.ts';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

interface Loaded<T> {
  key: string;
  data?: T;
  error?: ApiError;
}

/**
 * Loads `path` (when not null) and reloads when it changes. The previous data stays on screen
 * while the next page loads, so lists do not flash empty.
 */
export function useApi<T>(path: string | null): ApiState<T> {
  const [generation, setGeneration] = useState(0);
  const [loaded, setLoaded] = useState<Loaded<T> | null>(null);
  const key = `${generation}:${path}`;
  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    api<T>(path).then(
      (data) => {
        if (!cancelled) setLoaded({ key, data });
      },
      (error: unknown) => {
        if (!cancelled) {
          setLoaded((previous) => ({
            key,
            ...(previous?.data !== undefined ? { data: previous.data } : {}),
            error: error instanceof ApiError ? error : new ApiError('INTERNAL', String(error), 0),
          }));
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [path, key]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return {
    data: loaded?.data,
    error: loaded?.key === key ? loaded.error : undefined,
    loading: path !== null && loaded?.key !== key,
    reload,
  };
}
