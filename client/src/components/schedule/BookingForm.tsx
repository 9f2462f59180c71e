import { useEffect, useRef, useState } from 'react';
import {
  findLanguage,
  type CaseSummary,
  type ConsultationView,
  type SuggestionResponse,
} from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { useApi } from '../../api/useApi.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { CasePicker } from './CasePicker.tsx';
import { RefusalNotice } from './RefusalNotice.tsx';
import { useRefusalText } from './refusalMessages.ts';
import type { PickedSlot } from './WeekCalendar.tsx';
import { formatDay, formatTime, nextWeekday, zoneAbbreviation, zonedToUtc } from './zonedTime.ts';

const DURATIONS = [30, 45, 60];

/**
 * Staff book a consultation: pick the case, the attorney and a day, see the open slots (each with
 * the interpreters who can take it, least booked first), and book one. A specific time can also be
 * tried; a refusal is explained rule by rule.
 */
export function BookingForm({
  onBooked,
  preset = null,
}: {
  onBooked: (c: ConsultationView) => void;
  /** A slot picked on the calendar: the form books there once a case is chosen. */
  preset?: PickedSlot | null;
}) {
  const refusalText = useRefusalText();
  const [selectedCase, setSelectedCase] = useState<CaseSummary | null>(null);
  const caseId = selectedCase?.id ?? '';
  const [attorneyId, setAttorneyId] = useState('');
  const [date, setDate] = useState(() => nextWeekday(2));
  const [duration, setDuration] = useState(60);
  const [query, setQuery] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [manualTime, setManualTime] = useState('09:00');
  const [manualInterpreter, setManualInterpreter] = useState('');
  const [refusal, setRefusal] = useState<ApiError | undefined>();
  const [booked, setBooked] = useState<ConsultationView | null>(null);
  const [busy, setBusy] = useState(false);
  const suggestions = useApi<SuggestionResponse>(query);
  // ICE asks for the attorney's bar card at attorney visits: staff see it while booking.
  const barCards = useApi<{ items: { id: string; barNumber: string | null; barState: string | null }[] }>(
    '/users/attorneys',
  );
  const barCard = barCards.data?.items.find((a) => a.id === attorneyId);
  const section = useRef<HTMLElement>(null);
  // A new pick on the calendar sets the day and time (state adjusted while rendering, not in an effect).
  const [seenPreset, setSeenPreset] = useState(preset);
  if (preset !== seenPreset) {
    setSeenPreset(preset);
    if (preset) {
      setDate(preset.date);
      setManualTime(preset.time);
      setBooked(null);
      setRefusal(undefined);
    }
  }
  useEffect(() => {
    if (!preset) return;
    section.current?.scrollIntoView({ block: 'start' });
    section.current?.querySelector<HTMLInputElement>('input[role="combobox"], input')?.focus();
  }, [preset]);

  const zone = suggestions.data?.facility.timeZone ?? 'America/Chicago';
  const interpretersSeen = new Map<string, string>();
  for (const slot of suggestions.data?.slots ?? []) {
    for (const i of slot.interpreters) interpretersSeen.set(i.id, i.name);
  }

  const findSlots = () => {
    if (!caseId || !attorneyId) return;
    const params = new URLSearchParams({
      caseId,
      attorneyId,
      date,
      durationMinutes: String(duration),
      stepMinutes: '30',
    });
    setQuery(`/scheduling/suggestions?${params.toString()}`);
    setRefusal(undefined);
    setBooked(null);
  };

  const book = async (startsAt: string, interpreterId: string | null, facilityId?: string) => {
    if (!selectedCase) return;
    setBusy(true);
    setRefusal(undefined);
    setBooked(null);
    try {
      const { consultation } = await api<{ consultation: ConsultationView }>('/consultations', {
        method: 'POST',
        body: {
          caseId,
          attorneyId,
          interpreterId,
          language: selectedCase.client.preferredLanguage,
          startsAt,
          durationMinutes: duration,
          ...(facilityId ? { facilityId } : {}),
        },
      });
      setBooked(consultation);
      onBooked(consultation);
      suggestions.reload();
    } catch (err) {
      setRefusal(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="book-heading" ref={section}>
      <h2 id="book-heading">Book a consultation</h2>
      {preset && (
        <div className="notice" role="note" aria-label="Chosen slot">
          <p>
            Chosen on the calendar: {preset.facilityName},{' '}
            {formatDay(zonedToUtc(preset.date, preset.time, preset.timeZone).getTime(), preset.timeZone)} at{' '}
            {preset.time}{' '}
            {zoneAbbreviation(
              zonedToUtc(preset.date, preset.time, preset.timeZone).getTime(),
              preset.timeZone,
            )}
            . Choose the case, then book.
          </p>
          <button
            type="button"
            className="button primary"
            disabled={busy || !caseId || !attorneyId}
            onClick={() =>
              void book(
                zonedToUtc(preset.date, preset.time, preset.timeZone).toISOString(),
                null,
                preset.facilityId,
              )
            }
          >
            Book at {preset.time}
          </button>
        </div>
      )}
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          findSlots();
        }}
      >
        <CasePicker
          label="Case"
          value={selectedCase}
          onChange={(next) => {
            setSelectedCase(next);
            setAttorneyId(next?.attorneys[0]?.id ?? '');
            setQuery(null);
          }}
        />
        <label className="field">
          Attorney
          <select value={attorneyId} onChange={(e) => setAttorneyId(e.target.value)} disabled={!selectedCase}>
            {selectedCase?.attorneys.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          {barCard?.barNumber && (
            <span className="muted small">
              Bar card: {barCard.barNumber}
              {barCard.barState ? ` (${barCard.barState})` : ''}
            </span>
          )}
        </label>
        <label className="field">
          Day
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <label className="field">
          Length
          <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
            {DURATIONS.map((d) => (
              <option key={d} value={d}>
                {d} min
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <button type="submit" className="button primary" disabled={!caseId || !attorneyId}>
            Find open slots
          </button>
        </div>
      </form>
      {selectedCase && (
        <p className="muted small">
          {selectedCase.client.firstName} {selectedCase.client.lastName} speaks{' '}
          {findLanguage(selectedCase.client.preferredLanguage)?.englishName ??
            selectedCase.client.preferredLanguage}{' '}
          · held at {selectedCase.facility?.name ?? 'no facility on record'}
        </p>
      )}

      {booked && (
        <div className="notice success" role="status">
          Booked {formatDay(booked.startsAt, booked.facility.timeZone)} at{' '}
          {formatTime(booked.startsAt, booked.facility.timeZone)}{' '}
          {zoneAbbreviation(booked.startsAt, booked.facility.timeZone)} at {booked.facility.name}
          {booked.interpreter ? ` with ${booked.interpreter.name}` : ''}. Kiosk PIN {booked.kioskPin}.
          {booked.status === 'REQUESTED' && ' Waiting for the facility’s confirmation.'}
        </div>
      )}
      <RefusalNotice error={refusal} />
      <ErrorNotice error={suggestions.error} />

      {suggestions.data && (
        <>
          <h3>
            Open slots on {formatDay(zonedToUtc(date, '12:00', zone).getTime(), zone)} at{' '}
            {suggestions.data.facility.name} ({zone})
          </h3>
          {suggestions.data.dayRefusal && (
            <p className="notice error" role="note">
              No slots that day:{' '}
              {refusalText(suggestions.data.dayRefusal.code, suggestions.data.dayRefusal.message)}
            </p>
          )}
          {!suggestions.data.dayRefusal && suggestions.data.slots.length === 0 && (
            <p className="muted">No open slot that day. Try another day.</p>
          )}
          <ul className="slot-grid" aria-label="Open slots">
            {suggestions.data.slots.map((slot) => {
              const interpreterId = chosen[slot.startsAt] ?? slot.interpreters[0]?.id ?? '';
              const label = `${formatTime(slot.startsAt, zone)}–${formatTime(slot.endsAt, zone)}`;
              return (
                <li key={slot.startsAt} className="slot" aria-label={`Slot ${label}`}>
                  <strong>
                    {label} <span className="muted small">{zoneAbbreviation(slot.startsAt, zone)}</span>
                  </strong>
                  <select
                    aria-label={`Interpreter for ${label}`}
                    value={interpreterId}
                    onChange={(e) => setChosen({ ...chosen, [slot.startsAt]: e.target.value })}
                  >
                    {slot.interpreters.map((i) => (
                      <option key={i.id} value={i.id}>
                        {i.name} · {Math.round(i.bookedMinutesThisWeek / 6) / 10} h this week
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    className="button primary"
                    disabled={busy}
                    onClick={() => void book(slot.startsAt, interpreterId || null)}
                  >
                    Book {formatTime(slot.startsAt, zone)}
                  </button>
                </li>
              );
            })}
          </ul>
          <form
            className="form-row"
            aria-label="Book a specific time"
            onSubmit={(e) => {
              e.preventDefault();
              void book(zonedToUtc(date, manualTime, zone).toISOString(), manualInterpreter || null);
            }}
          >
            <label className="field">
              Specific time ({zoneAbbreviation(zonedToUtc(date, manualTime, zone).getTime(), zone)})
              <input
                type="time"
                value={manualTime}
                onChange={(e) => setManualTime(e.target.value)}
                required
              />
            </label>
            <label className="field">
              Interpreter
              <select value={manualInterpreter} onChange={(e) => setManualInterpreter(e.target.value)}>
                <option value="">None yet</option>
                {[...interpretersSeen].map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <div className="field">
              <button type="submit" className="button ghost" disabled={busy}>
                Book this time
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
