import { keepPreviousData, QueryClient, useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../api/http.ts';
import type { ApiState } from '../../api/apiQueries.ts';

/**
 * Server state of the staff's working day (home, schedule, calendar, consultation and case
 * pages) through TanStack Query, instead of the hand-written useApi: one cache shared by every
 * page (the calendar, the list and the booking form read the same calls), retries of failures
 * that may pass (the network, a 5xx; never a refusal), and invalidation after a booking,
 * reschedule, cancellation or transfer so every view of those calls refetches at once.
 *
 * The client is passed to each hook explicitly, so a component that uses it (the consultation
 * list) also works on pages outside this set, with no provider around the app.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (failures, error) => failures < 2 && isRetryable(error),
      retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4_000),
      refetchOnWindowFocus: true,
    },
  },
});

/** A refusal (4xx) stays a refusal; a failure to reach the server or a 5xx may pass on a retry. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status >= 500;
}

/** The API path of a query: its key is ['api', path]. */
const keyOf = (path: string) => ['api', path] as const;

/**
 * GETs `path` (when not null), cached under the path, with useApi's shape: the previous data
 * stays on screen while the next page or day loads, so lists do not flash empty.
 */
export function useServerQuery<T>(path: string | null): ApiState<T> {
  const query = useQuery<T, ApiError>(
    {
      queryKey: keyOf(path ?? ''),
      queryFn: () => api<T>(path!),
      enabled: path !== null,
      placeholderData: keepPreviousData,
    },
    queryClient,
  );
  return {
    data: query.data,
    error: query.error ?? undefined,
    loading: path !== null && query.isFetching,
    reload: () => void query.refetch(),
  };
}

/** What a booking, reschedule, cancellation, confirmation or transfer changes. */
const SCHEDULE_PATHS = ['/consultations', '/scheduling/suggestions', '/cases', '/clients'];

export function affectsSchedule(path: string): boolean {
  return SCHEDULE_PATHS.some(
    (prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`),
  );
}

/** Marks every cached view of calls, slots, cases and clients stale; those on screen refetch now. */
export function invalidateSchedule(): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) => {
      const [root, path] = query.queryKey as [string, string];
      return root === 'api' && affectsSchedule(path);
    },
  });
}
