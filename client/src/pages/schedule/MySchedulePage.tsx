import { useState } from 'react';
import type { CalendarFeedCreated, CalendarFeedStatus } from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { useApi } from '../../api/useApi.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ConsultationList } from '../../components/schedule/ConsultationList.tsx';
import '../../components/schedule/schedule.css';

/** An attorney's or interpreter's own calls, and their private calendar feed. */
export function MySchedulePage() {
  const status = useApi<CalendarFeedStatus>('/calendar/feed');
  const [created, setCreated] = useState<CalendarFeedCreated | null>(null);
  const [error, setError] = useState<ApiError | undefined>();

  const act = async (method: 'POST' | 'DELETE') => {
    try {
      const body = await api<CalendarFeedCreated | CalendarFeedStatus>('/calendar/feed', { method });
      setCreated('url' in body ? body : null);
      setError(undefined);
      status.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : undefined);
    }
  };

  return (
    <div className="page">
      <h1>My schedule</h1>
      <ConsultationList title="My consultations" canCancel={false} />
      <section className="panel" aria-labelledby="feed-heading">
        <h2 id="feed-heading">Calendar feed</h2>
        <p className="muted">
          Subscribe your calendar app to a private link: your consultations appear at the facility’s local
          time. The link holds no client names. Anyone with the link can read it, so make a new one (which
          ends the old one) if it leaks.
        </p>
        <ErrorNotice error={status.error ?? error} />
        {created && (
          <p className="notice success">
            Your new link (shown once): <span className="mono">{created.url}</span>
          </p>
        )}
        <div className="form-row">
          <button type="button" className="button primary" onClick={() => void act('POST')}>
            {status.data?.active ? 'Make a new link' : 'Create a calendar link'}
          </button>
          {status.data?.active && (
            <button type="button" className="button ghost" onClick={() => void act('DELETE')}>
              Turn the link off
            </button>
          )}
        </div>
      </section>
    </div>
  );
}
