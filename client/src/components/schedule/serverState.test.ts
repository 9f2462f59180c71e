import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/http.ts';
import { affectsSchedule, invalidateSchedule, isRetryable, queryClient } from './serverState.ts';

describe('server state', () => {
  it('retries what may pass (no network, a 5xx) and never a refusal', () => {
    expect(isRetryable(new ApiError('INTERNAL', 'down', 503))).toBe(true);
    expect(isRetryable(new ApiError('INTERNAL', 'no network', 0))).toBe(true);
    expect(isRetryable(new TypeError('Failed to fetch'))).toBe(true);
    expect(isRetryable(new ApiError('BOOTH_UNAVAILABLE', 'taken', 409))).toBe(false);
    expect(isRetryable(new ApiError('NOT_FOUND', 'gone', 404))).toBe(false);
  });

  it('knows which views a booking or a move changes', () => {
    for (const path of [
      '/consultations?status=OPEN&limit=200',
      '/consultations/1f0e',
      '/scheduling/suggestions?caseId=x',
      '/cases/abc',
      '/cases?limit=10',
      '/clients?limit=10',
    ]) {
      expect(affectsSchedule(path), path).toBe(true);
    }
    for (const path of [
      '/facilities',
      '/facilities/x/rules',
      '/users/attorneys',
      '/calendar/feed',
      '/casesX',
    ]) {
      expect(affectsSchedule(path), path).toBe(false);
    }
  });

  it('after a booking, marks the cached calls and slots stale and leaves the facilities', async () => {
    queryClient.setQueryData(['api', '/consultations?facilityId=f'], { items: [] });
    queryClient.setQueryData(['api', '/scheduling/suggestions?date=2026-03-10'], { slots: [] });
    queryClient.setQueryData(['api', '/facilities'], { items: [] });
    await invalidateSchedule();
    const state = (path: string) => queryClient.getQueryState(['api', path])?.isInvalidated;
    expect(state('/consultations?facilityId=f')).toBe(true);
    expect(state('/scheduling/suggestions?date=2026-03-10')).toBe(true);
    expect(state('/facilities')).toBe(false);
    queryClient.clear();
  });
});
