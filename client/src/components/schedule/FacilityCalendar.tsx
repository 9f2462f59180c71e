import { useState } from 'react';
import type { ConsultationView, FacilityDetail, FacilitySummary, Page } from '@parley/shared';
import { useApi } from '../../api/useApi.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { addDays, formatDay, formatTime, weekdayOf, zonedParts, zonedToUtc } from './zonedTime.ts';

const FIRST_HOUR = 7;
const LAST_HOUR = 18;
const SPAN = (LAST_HOUR - FIRST_HOUR) * 60;

/** Position of a local minute of the day on the lane, in percent. */
function at(minute: number): number {
  return Math.max(0, Math.min(100, ((minute - FIRST_HOUR * 60) / SPAN) * 100));
}

function localMinute(iso: string, zone: string): number {
  const p = zonedParts(Date.parse(iso), zone);
  return p.hour * 60 + p.minute;
}

/** Puts each call in the first booth lane free at its start (interval partitioning). */
function assignLanes(calls: ConsultationView[], booths: number): ConsultationView[][] {
  const lanes: ConsultationView[][] = Array.from({ length: booths }, () => []);
  for (const call of [...calls].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    const lane =
      lanes.find((l) => (l[l.length - 1]?.endsAt ?? '') <= call.startsAt) ?? lanes[lanes.length - 1];
    lane?.push(call);
  }
  return lanes;
}

function DayLanes({
  date,
  facility,
  calls,
}: {
  date: string;
  facility: FacilityDetail;
  calls: ConsultationView[];
}) {
  const zone = facility.timeZone;
  const windows = facility.windows.filter((w) => w.weekday === weekdayOf(date));
  const blackout = facility.blackouts.find((b) => b.date === date);
  const lanes = assignLanes(calls, facility.booths);
  return (
    <div className="week-day" aria-label={`Booths on ${date}`}>
      <strong>{formatDay(zonedToUtc(date, '12:00', zone).getTime(), zone)}</strong>
      {blackout && <span className="badge"> Closed: {blackout.reason}</span>}
      <div className="lane-hours" aria-hidden="true">
        {Array.from({ length: LAST_HOUR - FIRST_HOUR + 1 }, (_, n) => (
          <span key={n} style={{ left: `${at((FIRST_HOUR + n) * 60)}%` }}>
            {FIRST_HOUR + n}
          </span>
        ))}
      </div>
      <div className="lanes">
        {lanes.map((lane, index) => (
          <div key={index}>
            <span className="lane-label">Booth {index + 1}</span>
            <div className="lane">
              {!blackout &&
                windows.map((w) => (
                  <div
                    key={w.startMinute}
                    className="lane-window"
                    style={{
                      left: `${at(w.startMinute)}%`,
                      width: `${at(w.endMinute) - at(w.startMinute)}%`,
                    }}
                  />
                ))}
              {lane.map((c) => {
                const start = localMinute(c.startsAt, zone);
                const end = localMinute(c.endsAt, zone);
                return (
                  <div
                    key={c.id}
                    className="lane-block"
                    style={{ left: `${at(start)}%`, width: `${at(end) - at(start)}%` }}
                    title={`${formatTime(c.startsAt, zone)}–${formatTime(c.endsAt, zone)} ${c.case.reference} ${c.client.lastName} · ${c.attorney.name}${c.interpreter ? ` · ${c.interpreter.name}` : ''}`}
                  >
                    {formatTime(c.startsAt, zone)} {c.client.lastName}
                  </div>
                );
              })}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

/** Staff calendar: one facility, a day or a week, each booth a lane, visiting windows shaded. */
export function FacilityCalendar({ refreshKey }: { refreshKey: number }) {
  const facilities = useApi<{ items: FacilitySummary[] }>('/facilities');
  const [facilityId, setFacilityId] = useState('');
  const [view, setView] = useState<'day' | 'week'>('week');
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const id = facilityId || facilities.data?.items[0]?.id || '';
  const detail = useApi<{ facility: FacilityDetail }>(id ? `/facilities/${id}/rules` : null);
  const facility = detail.data?.facility;
  const zone = facility?.timeZone ?? 'America/Chicago';
  const monday = addDays(date, -((weekdayOf(date) + 6) % 7));
  const first = view === 'day' ? date : monday;
  const days = view === 'day' ? [date] : Array.from({ length: 7 }, (_, n) => addDays(monday, n));
  const from = zonedToUtc(first, '00:00', zone).toISOString();
  const to = zonedToUtc(addDays(first, days.length), '00:00', zone).toISOString();
  const calls = useApi<Page<ConsultationView>>(
    id && facility
      ? `/consultations?facilityId=${id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=500&r=${refreshKey}`
      : null,
  );
  const active = (calls.data?.items ?? []).filter((c) => c.status !== 'CANCELLED' && c.status !== 'NO_SHOW');

  return (
    <section className="panel" aria-labelledby="calendar-heading">
      <div className="panel-head">
        <h2 id="calendar-heading">Facility calendar</h2>
        <div className="form-row">
          <select
            aria-label="Facility"
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
          <input
            aria-label="Calendar date"
            className="search"
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
          <div className="tabs" role="group" aria-label="Calendar view">
            {(['day', 'week'] as const).map((v) => (
              <button
                key={v}
                type="button"
                className="button ghost"
                aria-pressed={view === v}
                onClick={() => setView(v)}
              >
                {v === 'day' ? 'Day' : 'Week'}
              </button>
            ))}
          </div>
        </div>
      </div>
      <ErrorNotice error={facilities.error ?? detail.error ?? calls.error} />
      {facility && (
        <>
          <p className="muted small">
            Times in {zone}. {facility.booths} booth{facility.booths === 1 ? '' : 's'}; shaded: visiting
            windows.
          </p>
          {days.map((d) => (
            <DayLanes
              key={d}
              date={d}
              facility={facility}
              calls={active.filter((c) => {
                const p = zonedParts(Date.parse(c.startsAt), zone);
                return (
                  `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}` === d
                );
              })}
            />
          ))}
        </>
      )}
    </section>
  );
}
