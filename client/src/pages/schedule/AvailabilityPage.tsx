import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AvailabilityView, WeeklyWindowInput } from '@parley/shared';
import { invalidateApi } from '../../api/apiQueries.ts';
import { api, ApiError } from '../../api/http.ts';
import { useServerQuery } from '../../components/schedule/serverState.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefusalNotice } from '../../components/schedule/RefusalNotice.tsx';
import { staffLocale } from '../../components/schedule/zonedTime.ts';
import { TimeZoneSelect } from '../admin/adminWidgets.tsx';
import '../../components/schedule/schedule.css';

function toHhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
function toMinute(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Sunday (0) to Saturday (6), in the staff language: 4 January 2026 was a Sunday. */
function weekdayName(day: number): string {
  return new Intl.DateTimeFormat(staffLocale(), { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, 0, 4 + day)),
  );
}

/** Interpreters state when they can work, in their own time zone, and add one-off exceptions. */
export function AvailabilityPage() {
  const { t } = useTranslation('staff');
  const current = useServerQuery<AvailabilityView>('/interpreters/me/availability');
  // Edits live in a draft until saved; before any edit the page shows what the server has.
  const [draft, setDraft] = useState<{ timeZone: string; weekly: WeeklyWindowInput[] } | null>(null);
  const timeZone = draft?.timeZone ?? current.data?.timeZone ?? '';
  const weekly = draft?.weekly ?? current.data?.weekly ?? [];
  const setTimeZone = (next: string) => setDraft({ timeZone: next, weekly });
  const setWeekly = (next: WeeklyWindowInput[]) => setDraft({ timeZone, weekly: next });
  const [error, setError] = useState<ApiError | undefined>();
  // This page, and the slots staff are offered with this interpreter.
  const changed = () => invalidateApi('/interpreters/me/availability', '/scheduling/suggestions');
  const [saved, setSaved] = useState(false);
  const [exception, setException] = useState({
    startsAtLocal: '',
    endsAtLocal: '',
    available: false,
    note: '',
  });

  const save = async () => {
    try {
      await api('/interpreters/me/availability', { method: 'PUT', body: { timeZone, weekly } });
      setError(undefined);
      setSaved(true);
      setDraft(null);
      await changed();
    } catch (err) {
      setError(err instanceof ApiError ? err : undefined);
    }
  };

  const addException = async () => {
    try {
      await api('/interpreters/me/availability/exceptions', { method: 'POST', body: exception });
      setError(undefined);
      await changed();
    } catch (err) {
      setError(err instanceof ApiError ? err : undefined);
    }
  };

  const removeException = async (id: string) => {
    await api(`/interpreters/me/availability/exceptions/${id}`, { method: 'DELETE' }).catch(() => undefined);
    await changed();
  };

  return (
    <div className="page">
      <h1>{t('availability.title')}</h1>
      <ErrorNotice error={current.error} />
      <RefusalNotice error={error} />
      <section className="panel" aria-labelledby="weekly-heading">
        <h2 id="weekly-heading">{t('availability.weekly')}</h2>
        <TimeZoneSelect label={t('availability.timeZone')} value={timeZone} onChange={setTimeZone} />
        <table className="table" aria-label={t('availability.weeklyTable')}>
          <thead>
            <tr>
              <th>{t('availability.day')}</th>
              <th>{t('availability.from')}</th>
              <th>{t('availability.to')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {weekly.map((w, index) => (
              <tr key={index}>
                <td>
                  <select
                    aria-label={t('availability.weekday')}
                    value={w.weekday}
                    onChange={(e) =>
                      setWeekly(
                        weekly.map((x, i) => (i === index ? { ...x, weekday: Number(e.target.value) } : x)),
                      )
                    }
                  >
                    {[0, 1, 2, 3, 4, 5, 6].map((day) => (
                      <option key={day} value={day}>
                        {weekdayName(day)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="time"
                    aria-label={t('availability.from')}
                    value={toHhmm(w.startMinute)}
                    onChange={(e) =>
                      setWeekly(
                        weekly.map((x, i) =>
                          i === index ? { ...x, startMinute: toMinute(e.target.value) } : x,
                        ),
                      )
                    }
                  />
                </td>
                <td>
                  <input
                    type="time"
                    aria-label={t('availability.to')}
                    value={w.endMinute === 1440 ? '23:59' : toHhmm(w.endMinute)}
                    onChange={(e) =>
                      setWeekly(
                        weekly.map((x, i) =>
                          i === index ? { ...x, endMinute: toMinute(e.target.value) } : x,
                        ),
                      )
                    }
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="button ghost"
                    onClick={() => setWeekly(weekly.filter((_, i) => i !== index))}
                  >
                    {t('availability.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-row">
          <button
            type="button"
            className="button ghost"
            onClick={() => setWeekly([...weekly, { weekday: 1, startMinute: 540, endMinute: 1020 }])}
          >
            {t('availability.addHours')}
          </button>
          <button type="button" className="button primary" onClick={() => void save()}>
            {t('availability.save')}
          </button>
          {saved && <span className="muted">{t('availability.saved')}</span>}
        </div>
      </section>
      <section className="panel" aria-labelledby="exceptions-heading">
        <h2 id="exceptions-heading">{t('availability.exceptions')}</h2>
        <p className="muted small">
          {t('availability.timesIn', { zone: current.data?.timeZone ?? t('availability.yourZone') })}
        </p>
        <ul>
          {current.data?.exceptions.map((e) => (
            <li key={e.id}>
              {e.available ? t('availability.extra') : t('availability.away')}:{' '}
              {e.startsAtLocal.replace('T', ' ')} → {e.endsAtLocal.replace('T', ' ')}{' '}
              {e.note && `(${e.note})`}{' '}
              <button type="button" className="button ghost" onClick={() => void removeException(e.id)}>
                {t('availability.remove')}
              </button>
            </li>
          ))}
        </ul>
        <div className="form-row">
          <label className="field">
            {t('availability.from')}
            <input
              type="datetime-local"
              value={exception.startsAtLocal}
              onChange={(e) => setException({ ...exception, startsAtLocal: e.target.value })}
            />
          </label>
          <label className="field">
            {t('availability.to')}
            <input
              type="datetime-local"
              value={exception.endsAtLocal}
              onChange={(e) => setException({ ...exception, endsAtLocal: e.target.value })}
            />
          </label>
          <label className="field">
            {t('availability.kind')}
            <select
              value={exception.available ? 'extra' : 'away'}
              onChange={(e) => setException({ ...exception, available: e.target.value === 'extra' })}
            >
              <option value="away">{t('availability.away')}</option>
              <option value="extra">{t('availability.extra')}</option>
            </select>
          </label>
          <label className="field">
            {t('availability.note')}
            <input
              value={exception.note}
              onChange={(e) => setException({ ...exception, note: e.target.value })}
            />
          </label>
          <div className="field">
            <button type="button" className="button primary" onClick={() => void addException()}>
              {t('availability.addException')}
            </button>
          </div>
        </div>
      </section>
    </div>
  );
}
