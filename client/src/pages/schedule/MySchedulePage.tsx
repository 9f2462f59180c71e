import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarFeedCreated, CalendarFeedStatus } from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { useServerQuery } from '../../components/schedule/serverState.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ConsultationList } from '../../components/schedule/ConsultationList.tsx';
import '../../components/schedule/schedule.css';

/** An attorney's or interpreter's own calls, and their private calendar feed. */
export function MySchedulePage() {
  const { t } = useTranslation('staff');
  const status = useServerQuery<CalendarFeedStatus>('/calendar/feed');
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
      <h1>{t('mySchedule.title')}</h1>
      <ConsultationList title={t('mySchedule.mine')} canCancel={false} />
      <section className="panel" aria-labelledby="feed-heading">
        <h2 id="feed-heading">{t('mySchedule.feed')}</h2>
        <p className="muted">{t('mySchedule.feedExplain')}</p>
        <ErrorNotice error={status.error ?? error} />
        {created && (
          <p className="notice success">
            {t('mySchedule.newLink')} <span className="mono">{created.url}</span>
          </p>
        )}
        <div className="form-row">
          <button type="button" className="button primary" onClick={() => void act('POST')}>
            {status.data?.active ? t('mySchedule.makeNew') : t('mySchedule.create')}
          </button>
          {status.data?.active && (
            <button type="button" className="button ghost" onClick={() => void act('DELETE')}>
              {t('mySchedule.turnOff')}
            </button>
          )}
        </div>
      </section>
    </div>
  );
}
