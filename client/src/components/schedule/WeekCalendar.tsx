import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ConsultationView, FacilityDetail, FacilitySummary, Page } from '@parley/shared';
import { useServerQuery } from './serverState.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { addDays, formatDay, formatTime, weekdayOf, zonedDate, zonedParts, zonedToUtc } from './zonedTime.ts';
import './weekCalendar.css';

const FIRST_HOUR = 7;
const LAST_HOUR = 19;
const STEP = 30;
const ROWS = ((LAST_HOUR - FIRST_HOUR) * 60) / STEP;

/** A slot staff picked on the calendar, to book there. */
export interface PickedSlot {
  facilityId: string;
  facilityName: string;
  timeZone: string;
  date: string;
  time: string;
}

function localMinute(iso: string, zone: string): number {
  const p = zonedParts(Date.parse(iso), zone);
  return p.hour * 60 + p.minute;
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Puts each call in the first booth free at its start (interval partitioning). */
function assignBooths(calls: ConsultationView[], booths: number): ConsultationView[][] {
  const lanes: ConsultationView[][] = Array.from({ length: Math.max(1, booths) }, () => []);
  for (const call of [...calls].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    const lane =
      lanes.find((l) => (l[l.length - 1]?.endsAt ?? '') <= call.startsAt) ?? lanes[lanes.length - 1];
    lane?.push(call);
  }
  return lanes;
}

/** True on a narrow (tablet portrait or phone) screen: the calendar shows one day there. */
function useNarrow(): boolean {
  const query = '(max-width: 900px)';
  const [narrow, setNarrow] = useState(
    () => typeof window !== 'undefined' && window.matchMedia(query).matches,
  );
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setNarrow(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, []);
  return narrow;
}

type Cell =
  | { kind: 'call'; call: ConsultationView; rows: number }
  | { kind: 'open'; time: string }
  | { kind: 'closed' }
  | { kind: 'covered' };

/** One day's booths, slot by slot. */
function dayColumns(date: string, facility: FacilityDetail, calls: ConsultationView[]): Cell[][] {
  const zone = facility.timeZone;
  const windows = facility.windows.filter((w) => w.weekday === weekdayOf(date));
  const closed = facility.blackouts.some((b) => b.date === date);
  return assignBooths(calls, facility.booths).map((lane) => {
    const cells: Cell[] = Array.from({ length: ROWS }, (_, row) => {
      const minute = FIRST_HOUR * 60 + row * STEP;
      const open = !closed && windows.some((w) => w.startMinute <= minute && minute + STEP <= w.endMinute);
      return open ? { kind: 'open', time: hhmm(minute) } : { kind: 'closed' };
    });
    for (const call of lane) {
      const start = Math.max(0, Math.floor((localMinute(call.startsAt, zone) - FIRST_HOUR * 60) / STEP));
      const end = Math.min(ROWS, Math.ceil((localMinute(call.endsAt, zone) - FIRST_HOUR * 60) / STEP));
      if (end <= start) continue;
      cells[start] = { kind: 'call', call, rows: end - start };
      for (let r = start + 1; r < end; r++) cells[r] = { kind: 'covered' };
    }
    return cells;
  });
}

/**
 * Staff's calendar: a week (a day on a narrow screen) of one facility, days side by side and the
 * booths as lanes within each day, 30-minute rows. A call opens its page; an empty slot inside a
 * visiting window starts a booking there. Arrow keys move between cells; Home/End go to the day's
 * first and last slot.
 */
export function WeekCalendar({ onPick }: { onPick: (slot: PickedSlot) => void }) {
  const { t } = useTranslation('staff');
  const facilities = useServerQuery<{ items: FacilitySummary[] }>('/facilities');
  const [facilityId, setFacilityId] = useState('');
  const narrow = useNarrow();
  const [chosenView, setView] = useState<'day' | 'week' | null>(null);
  const view = chosenView ?? (narrow ? 'day' : 'week');
  const id = facilityId || facilities.data?.items[0]?.id || '';
  const detail = useServerQuery<{ facility: FacilityDetail }>(id ? `/facilities/${id}/rules` : null);
  const facility = detail.data?.facility;
  const zone = facility?.timeZone ?? 'America/Chicago';
  const [openedAt] = useState(() => Date.now());
  const today = zonedDate(openedAt, zone);
  const [date, setDate] = useState<string | null>(null);
  const current = date ?? today;
  const monday = addDays(current, -((weekdayOf(current) + 6) % 7));
  const first = view === 'day' ? current : monday;
  const days = view === 'day' ? [current] : Array.from({ length: 7 }, (_, n) => addDays(monday, n));
  const from = zonedToUtc(first, '00:00', zone).toISOString();
  const to = zonedToUtc(addDays(first, days.length), '00:00', zone).toISOString();
  const calls = useServerQuery<Page<ConsultationView>>(
    id && facility
      ? `/consultations?facilityId=${id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=500`
      : null,
  );
  const active = (calls.data?.items ?? []).filter((c) => c.status !== 'CANCELLED' && c.status !== 'NO_SHOW');
  const step = view === 'day' ? 1 : 7;
  const cells = useRef(new Map<string, HTMLElement>());
  const [focus, setFocus] = useState('0:0');

  const columns = facility
    ? days.flatMap((d) =>
        dayColumns(
          d,
          facility,
          active.filter((c) => zonedDate(Date.parse(c.startsAt), zone) === d),
        ).map((cellsOfBooth, booth) => ({ date: d, booth, cells: cellsOfBooth })),
      )
    : [];

  /** The focusable cell at (row, col): a call spanning that row counts. */
  const keyAt = (row: number, col: number): string | null => {
    const column = columns[col];
    if (!column) return null;
    for (let r = row; r >= 0; r--) {
      const cell = column.cells[r];
      if (cell && cell.kind !== 'covered') return cell.kind === 'closed' && r !== row ? null : `${r}:${col}`;
    }
    return null;
  };
  const move = (event: KeyboardEvent<HTMLTableElement>) => {
    const [row = 0, col = 0] = focus.split(':').map(Number);
    const span = (() => {
      const cell = columns[col]?.cells[row];
      return cell?.kind === 'call' ? cell.rows : 1;
    })();
    const target: [number, number] | null =
      event.key === 'ArrowDown'
        ? [Math.min(ROWS - 1, row + span), col]
        : event.key === 'ArrowUp'
          ? [Math.max(0, row - 1), col]
          : event.key === 'ArrowRight'
            ? [row, Math.min(columns.length - 1, col + 1)]
            : event.key === 'ArrowLeft'
              ? [row, Math.max(0, col - 1)]
              : event.key === 'Home'
                ? [0, col]
                : event.key === 'End'
                  ? [ROWS - 1, col]
                  : null;
    if (!target) return;
    event.preventDefault();
    const key = keyAt(target[0], target[1]) ?? `${target[0]}:${target[1]}`;
    setFocus(key);
    cells.current.get(key)?.focus();
  };
  const register = (key: string) => (el: HTMLElement | null) => {
    if (el) cells.current.set(key, el);
    else cells.current.delete(key);
  };

  return (
    <section className="panel" aria-labelledby="calendar-heading">
      <div className="panel-head">
        <h2 id="calendar-heading">{t('calendar.heading')}</h2>
        <div className="form-row">
          <select
            aria-label={t('calendar.facility')}
            className="search"
            value={id}
            onChange={(e) => setFacilityId(e.target.value)}
          >
            {facilities.data?.items.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
          <div className="tabs" role="group" aria-label={t('calendar.move')}>
            <button type="button" className="button ghost" onClick={() => setDate(addDays(current, -step))}>
              {view === 'day' ? t('calendar.previousDay') : t('calendar.previousWeek')}
            </button>
            <button type="button" className="button ghost" onClick={() => setDate(null)}>
              {t('calendar.today')}
            </button>
            <button type="button" className="button ghost" onClick={() => setDate(addDays(current, step))}>
              {view === 'day' ? t('calendar.nextDay') : t('calendar.nextWeek')}
            </button>
          </div>
          <input
            aria-label={t('calendar.goTo')}
            className="search"
            type="date"
            value={current}
            onChange={(e) => e.target.value && setDate(e.target.value)}
          />
          <div className="tabs" role="group" aria-label={t('calendar.view')}>
            {(['day', 'week'] as const).map((v) => (
              <button
                key={v}
                type="button"
                className="button ghost"
                aria-pressed={view === v}
                onClick={() => setView(v)}
              >
                {v === 'day' ? t('calendar.day') : t('calendar.week')}
              </button>
            ))}
          </div>
        </div>
      </div>
      <ErrorNotice error={facilities.error ?? detail.error ?? calls.error} />
      {facility && (
        <>
          <p className="muted small">{t('calendar.explain', { zone, count: facility.booths })}</p>
          <ul className="calendar-legend" aria-label={t('calendar.legend')}>
            <li className="cal-call status-requested">{t('calendar.legendRequested')}</li>
            <li className="cal-call status-scheduled">{t('calendar.legendScheduled')}</li>
            <li className="cal-call status-in_progress">{t('calendar.legendInProgress')}</li>
            <li className="cal-call status-completed">{t('calendar.legendCompleted')}</li>
          </ul>
          <div className="calendar-scroll">
            <table
              className="week-grid"
              aria-label={
                view === 'day'
                  ? t('calendar.gridDay', {
                      facility: facility.name,
                      day: formatDay(zonedToUtc(current, '12:00', zone).getTime(), zone),
                    })
                  : t('calendar.gridWeek', {
                      facility: facility.name,
                      day: formatDay(zonedToUtc(monday, '12:00', zone).getTime(), zone),
                    })
              }
              onKeyDown={move}
            >
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>
                    {t('calendar.time')}
                  </th>
                  {days.map((d) => {
                    const closed = facility.blackouts.find((b) => b.date === d);
                    return (
                      <th
                        key={d}
                        scope="colgroup"
                        colSpan={Math.max(1, facility.booths)}
                        className={d === today ? 'today' : undefined}
                      >
                        {formatDay(zonedToUtc(d, '12:00', zone).getTime(), zone)}
                        {closed && (
                          <span className="badge"> {t('calendar.closed', { reason: closed.reason })}</span>
                        )}
                      </th>
                    );
                  })}
                </tr>
                <tr>
                  {columns.map((c) => (
                    <th key={`${c.date}:${c.booth}`} scope="col" className="booth-head">
                      {t('calendar.booth', { booth: c.booth + 1 })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: ROWS }, (_, row) => {
                  const minute = FIRST_HOUR * 60 + row * STEP;
                  return (
                    <tr key={row}>
                      <th scope="row" className="time-head">
                        {minute % 60 === 0 ? (
                          hhmm(minute)
                        ) : (
                          <span className="visually-hidden">{hhmm(minute)}</span>
                        )}
                      </th>
                      {columns.map((column, col) => {
                        const cell = column.cells[row]!;
                        const key = `${row}:${col}`;
                        const tabIndex = focus === key ? 0 : -1;
                        const day = formatDay(zonedToUtc(column.date, '12:00', zone).getTime(), zone);
                        if (cell.kind === 'covered') return null;
                        if (cell.kind === 'closed') return <td key={key} className="cal-closed" />;
                        if (cell.kind === 'open') {
                          return (
                            <td key={key} className="cal-open">
                              <button
                                ref={register(key)}
                                type="button"
                                tabIndex={tabIndex}
                                className="cal-slot"
                                aria-label={t('calendar.bookSlot', {
                                  day,
                                  time: cell.time,
                                  booth: column.booth + 1,
                                })}
                                onFocus={() => setFocus(key)}
                                onClick={() =>
                                  onPick({
                                    facilityId: facility.id,
                                    facilityName: facility.name,
                                    timeZone: zone,
                                    date: column.date,
                                    time: cell.time,
                                  })
                                }
                              />
                            </td>
                          );
                        }
                        const c = cell.call;
                        return (
                          <td key={key} rowSpan={cell.rows} className="cal-call-cell">
                            <Link
                              ref={register(key)}
                              to={`/consultations/${c.id}`}
                              tabIndex={tabIndex}
                              className={`cal-call status-${c.status.toLowerCase()}`}
                              onFocus={() => setFocus(key)}
                            >
                              {/* The name is the visible text with the rest for screen readers around it. */}
                              <span>
                                <span className="visually-hidden">{day} </span>
                                {formatTime(c.startsAt, zone)}
                                <span className="visually-hidden">
                                  {t('calendar.callEnd', {
                                    end: formatTime(c.endsAt, zone),
                                    booth: column.booth + 1,
                                    firstName: c.client.firstName,
                                  })}
                                </span>{' '}
                                {c.client.lastName}
                                <span className="visually-hidden">
                                  {c.interpreter
                                    ? t('calendar.callPeople', {
                                        attorney: c.attorney.name,
                                        interpreter: c.interpreter.name,
                                      })
                                    : t('calendar.callPeopleNoInterpreter', {
                                        attorney: c.attorney.name,
                                      })}{' '}
                                </span>
                              </span>
                              <span className="small">{t(`calendar.status.${c.status}`)}</span>
                            </Link>
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
