import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { queryClient } from '../components/schedule/serverState.ts';
import { api, type ApiError } from './http.ts';

/** A GET's state as a screen reads it (see `useServerQuery`). */
export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Whether the API path `path` is `prefix` itself or something under it (a sub-path or a query). */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);
}

/**
 * Marks every cached GET under the given API paths stale after a change there: the views on
 * screen refetch at once, the others when next shown. `invalidateApi('/facilities')` covers the
 * list, every facility's rules and its contact.
 */
export function invalidateApi(...prefixes: string[]): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (query) => cachedUnder(query.queryKey, prefixes) });
}

/**
 * Marks the cached GETs under these paths stale without refetching those on screen: for a form
 * keyed by the values it was opened with, which a refetch would open again (losing its "Saved").
 * The next screen that shows them refetches.
 */
export function markStale(...prefixes: string[]): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) => cachedUnder(query.queryKey, prefixes),
    refetchType: 'none',
  });
}

function cachedUnder(queryKey: readonly unknown[], prefixes: string[]): boolean {
  const [root, path] = queryKey;
  return root === 'api' && typeof path === 'string' && prefixes.some((p) => isUnder(path, p));
}

/**
 * A GET read afresh every time a screen opens it, the cached copy shown meanwhile: for what grows
 * with anyone's change (the audit log), where `useServerQuery`'s 15 seconds of trust would hide the
 * change just made on another screen.
 */
export function useFreshApiQuery<T>(path: string): ApiState<T> {
  const query = useQuery<T, ApiError>(
    {
      queryKey: ['api', path],
      queryFn: () => api<T>(path),
      staleTime: 0,
      refetchOnMount: 'always',
      placeholderData: keepPreviousData,
    },
    queryClient,
  );
  return {
    data: query.data,
    error: query.error ?? undefined,
    loading: query.isFetching,
    reload: () => void query.refetch(),
  };
}
