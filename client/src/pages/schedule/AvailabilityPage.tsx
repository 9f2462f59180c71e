import { useState } from 'react';
import { WEEKDAY_NAMES, type AvailabilityView, type WeeklyWindowInput } from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { useApi } from '../../api/useApi.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefusalNotice } from '../../components/schedule/RefusalNotice.tsx';
import '../../components/schedule/schedule.css';

function toHhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
function toMinute(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Interpreters state when they can work, in their own time zone, and add one-off exceptions. */
export function AvailabilityPage() {
  const current = useApi<AvailabilityView>('/interpreters/me/availability');
  // Edits live in a draft until saved; before any edit the page shows what the server has.
  const [draft, setDraft] = useState<{ timeZone: string; weekly: WeeklyWindowInput[] } | null>(null);
  const timeZone = draft?.timeZone ?? current.data?.timeZone ?? '';
  const weekly = draft?.weekly ?? current.data?.weekly ?? [];
  const setTimeZone = (next: string) => setDraft({ timeZone: next, weekly });
  const setWeekly = (next: WeeklyWindowInput[]) => setDraft({ timeZone, weekly: next });
  const [error, setError] = useState<ApiError | undefined>();
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
      current.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : undefined);
    }
  };

  const addException = async () => {
    try {
      await api('/interpreters/me/availability/exceptions', { method: 'POST', body: exception });
      setError(undefined);
      current.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : undefined);
    }
  };

  const removeException = async (id: string) => {
    await api(`/interpreters/me/availability/exceptions/${id}`, { method: 'DELETE' }).catch(() => undefined);
    current.reload();
  };

  return (
    <div className="page">
      <h1>My availability</h1>
      <ErrorNotice error={current.error} />
      <RefusalNotice error={error} />
      <section className="panel" aria-labelledby="weekly-heading">
        <h2 id="weekly-heading">Every week</h2>
        <label className="field">
          Your time zone
          <input
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            placeholder="America/Chicago"
          />
        </label>
        <table className="table" aria-label="Weekly availability">
          <thead>
            <tr>
              <th>Day</th>
              <th>From</th>
              <th>To</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {weekly.map((w, index) => (
              <tr key={index}>
                <td>
                  <select
                    aria-label="Weekday"
                    value={w.weekday}
                    onChange={(e) =>
                      setWeekly(
                        weekly.map((x, i) => (i === index ? { ...x, weekday: Number(e.target.value) } : x)),
                      )
                    }
                  >
                    {WEEKDAY_NAMES.map((name, day) => (
                      <option key={name} value={day}>
                        {name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="time"
                    aria-label="From"
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
                    aria-label="To"
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
                    Remove
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
            Add hours
          </button>
          <button type="button" className="button primary" onClick={() => void save()}>
            Save weekly hours
          </button>
          {saved && <span className="muted">Saved.</span>}
        </div>
      </section>
      <section className="panel" aria-labelledby="exceptions-heading">
        <h2 id="exceptions-heading">Exceptions</h2>
        <p className="muted small">Times in {current.data?.timeZone ?? 'your zone'}.</p>
        <ul>
          {current.data?.exceptions.map((e) => (
            <li key={e.id}>
              {e.available ? 'Extra time' : 'Away'}: {e.startsAtLocal.replace('T', ' ')} →{' '}
              {e.endsAtLocal.replace('T', ' ')} {e.note && `(${e.note})`}{' '}
              <button type="button" className="button ghost" onClick={() => void removeException(e.id)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <div className="form-row">
          <label className="field">
            From
            <input
              type="datetime-local"
              value={exception.startsAtLocal}
              onChange={(e) => setException({ ...exception, startsAtLocal: e.target.value })}
            />
          </label>
          <label className="field">
            To
            <input
              type="datetime-local"
              value={exception.endsAtLocal}
              onChange={(e) => setException({ ...exception, endsAtLocal: e.target.value })}
            />
          </label>
          <label className="field">
            Kind
            <select
              value={exception.available ? 'extra' : 'away'}
              onChange={(e) => setException({ ...exception, available: e.target.value === 'extra' })}
            >
              <option value="away">Away</option>
              <option value="extra">Extra time</option>
            </select>
          </label>
          <label className="field">
            Note
            <input
              value={exception.note}
              onChange={(e) => setException({ ...exception, note: e.target.value })}
            />
          </label>
          <div className="field">
            <button type="button" className="button primary" onClick={() => void addException()}>
              Add exception
            </button>
          </div>
        </div>
      </section>
    </div>
  );
}
