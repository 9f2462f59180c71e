import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  findLanguage,
  type CaseSummary,
  type ConsultationView,
  type SuggestionResponse,
} from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { invalidateSchedule, useServerQuery } from './serverState.ts';
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
  const { t } = useTranslation('staff');
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
  const suggestions = useServerQuery<SuggestionResponse>(query);
  // ICE asks for the attorney's bar card at attorney visits: staff see it while booking.
  const barCards = useServerQuery<{
    items: { id: string; barNumber: string | null; barState: string | null }[];
  }>('/users/attorneys');
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
      // The calendar, the lists and these slots all show it now.
      void invalidateSchedule();
    } catch (err) {
      setRefusal(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="book-heading" ref={section}>
      <h2 id="book-heading">{t('booking.heading')}</h2>
      {preset && (
        <div className="notice" role="note" aria-label={t('booking.chosenSlot')}>
          <p>
            {t('booking.chosen', {
              facility: preset.facilityName,
              day: formatDay(
                zonedToUtc(preset.date, preset.time, preset.timeZone).getTime(),
                preset.timeZone,
              ),
              time: preset.time,
              zone: zoneAbbreviation(
                zonedToUtc(preset.date, preset.time, preset.timeZone).getTime(),
                preset.timeZone,
              ),
            })}
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
            {t('booking.bookAt', { time: preset.time })}
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
          label={t('booking.case')}
          value={selectedCase}
          onChange={(next) => {
            setSelectedCase(next);
            setAttorneyId(next?.attorneys[0]?.id ?? '');
            setQuery(null);
          }}
        />
        <label className="field">
          {t('booking.attorney')}
          <select value={attorneyId} onChange={(e) => setAttorneyId(e.target.value)} disabled={!selectedCase}>
            {selectedCase?.attorneys.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          {barCard?.barNumber && (
            <span className="muted small">
              {barCard.barState
                ? t('booking.barCardState', { number: barCard.barNumber, state: barCard.barState })
                : t('booking.barCard', { number: barCard.barNumber })}
            </span>
          )}
        </label>
        <label className="field">
          {t('booking.day')}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <label className="field">
          {t('booking.length')}
          <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
            {DURATIONS.map((d) => (
              <option key={d} value={d}>
                {t('booking.minutes', { count: d })}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <button type="submit" className="button primary" disabled={!caseId || !attorneyId}>
            {t('booking.find')}
          </button>
        </div>
      </form>
      {selectedCase && (
        <p className="muted small">
          {t('booking.clientFacts', {
            name: `${selectedCase.client.firstName} ${selectedCase.client.lastName}`,
            language:
              findLanguage(selectedCase.client.preferredLanguage)?.englishName ??
              selectedCase.client.preferredLanguage,
            facility: selectedCase.facility?.name ?? t('booking.noFacility'),
          })}
        </p>
      )}

      {booked && (
        <div className="notice success" role="status">
          {t(booked.interpreter ? 'booking.bookedWith' : 'booking.booked', {
            day: formatDay(booked.startsAt, booked.facility.timeZone),
            time: formatTime(booked.startsAt, booked.facility.timeZone),
            zone: zoneAbbreviation(booked.startsAt, booked.facility.timeZone),
            facility: booked.facility.name,
            interpreter: booked.interpreter?.name ?? '',
            pin: booked.kioskPin ?? '—',
          })}
          {booked.status === 'REQUESTED' && ` ${t('booking.waiting')}`}
        </div>
      )}
      <RefusalNotice error={refusal} />
      <ErrorNotice error={suggestions.error} />

      {suggestions.data && (
        <>
          <h3>
            {t('booking.openSlotsOn', {
              day: formatDay(zonedToUtc(date, '12:00', zone).getTime(), zone),
              facility: suggestions.data.facility.name,
              zone,
            })}
          </h3>
          {suggestions.data.dayRefusal && (
            <p className="notice error" role="note">
              {t('booking.noSlotsThatDay')}{' '}
              {refusalText(suggestions.data.dayRefusal.code, suggestions.data.dayRefusal.message)}
            </p>
          )}
          {!suggestions.data.dayRefusal && suggestions.data.slots.length === 0 && (
            <p className="muted">{t('booking.noOpenSlot')}</p>
          )}
          <ul className="slot-grid" aria-label={t('booking.openSlots')}>
            {suggestions.data.slots.map((slot) => {
              const interpreterId = chosen[slot.startsAt] ?? slot.interpreters[0]?.id ?? '';
              const label = `${formatTime(slot.startsAt, zone)}–${formatTime(slot.endsAt, zone)}`;
              return (
                <li key={slot.startsAt} className="slot" aria-label={t('booking.slot', { label })}>
                  <strong>
                    {label} <span className="muted small">{zoneAbbreviation(slot.startsAt, zone)}</span>
                  </strong>
                  <select
                    aria-label={t('booking.interpreterFor', { label })}
                    value={interpreterId}
                    onChange={(e) => setChosen({ ...chosen, [slot.startsAt]: e.target.value })}
                  >
                    {slot.interpreters.map((i) => (
                      <option key={i.id} value={i.id}>
                        {t('booking.interpreterLoad', {
                          name: i.name,
                          hours: Math.round(i.bookedMinutesThisWeek / 6) / 10,
                        })}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    className="button primary"
                    disabled={busy}
                    onClick={() => void book(slot.startsAt, interpreterId || null)}
                  >
                    {t('booking.bookSlot', { time: formatTime(slot.startsAt, zone) })}
                  </button>
                </li>
              );
            })}
          </ul>
          <form
            className="form-row"
            aria-label={t('booking.specific')}
            onSubmit={(e) => {
              e.preventDefault();
              void book(zonedToUtc(date, manualTime, zone).toISOString(), manualInterpreter || null);
            }}
          >
            <label className="field">
              {t('booking.specificTime', {
                zone: zoneAbbreviation(zonedToUtc(date, manualTime, zone).getTime(), zone),
              })}
              <input
                type="time"
                value={manualTime}
                onChange={(e) => setManualTime(e.target.value)}
                required
              />
            </label>
            <label className="field">
              {t('booking.interpreter')}
              <select value={manualInterpreter} onChange={(e) => setManualInterpreter(e.target.value)}>
                <option value="">{t('booking.noneYet')}</option>
                {[...interpretersSeen].map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <div className="field">
              <button type="submit" className="button ghost" disabled={busy}>
                {t('booking.bookThis')}
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
