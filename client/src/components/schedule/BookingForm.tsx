import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  findLanguage,
  LANGUAGES,
  type CaseSummary,
  type ConsultationView,
  type LanguageCode,
  type RelaySuggestionResponse,
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
  // A relay (issue 17): client's language → pivot → English, two interpreters free together.
  const [relayOn, setRelayOn] = useState(false);
  const [pivot, setPivot] = useState<LanguageCode>('es');
  const [relayQuery, setRelayQuery] = useState<string | null>(null);
  const [chosenPair, setChosenPair] = useState<Record<string, number>>({});
  const relaySuggestions = useServerQuery<RelaySuggestionResponse>(relayQuery);
  const clientLanguage = selectedCase?.client.preferredLanguage;
  // Never the client's own language (Spanish is the usual pivot, unless the client speaks it).
  const pivotUsed: LanguageCode =
    pivot !== clientLanguage
      ? pivot
      : (LANGUAGES.find((l) => l.code !== 'en' && l.code !== clientLanguage)?.code ?? pivot);
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
    if (relayOn && clientLanguage && clientLanguage !== 'en') {
      params.set('language', clientLanguage);
      params.set('pivotLanguage', pivotUsed);
      setRelayQuery(`/scheduling/relay-suggestions?${params.toString()}`);
      setQuery(null);
    } else {
      setQuery(`/scheduling/suggestions?${params.toString()}`);
      setRelayQuery(null);
    }
    setRefusal(undefined);
    setBooked(null);
  };

  const book = async (
    startsAt: string,
    interpreterId: string | null,
    facilityId?: string,
    relay?: { interpreterId: string; pivotLanguage: string },
  ) => {
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
          ...(relay ? { relay } : {}),
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
        {clientLanguage && clientLanguage !== 'en' && (
          <label className="field">
            <span>
              <input
                type="checkbox"
                checked={relayOn}
                onChange={(e) => {
                  setRelayOn(e.target.checked);
                  setQuery(null);
                  setRelayQuery(null);
                }}
              />{' '}
              {t('relay.ask')}
            </span>
            {relayOn && (
              <select
                aria-label={t('relay.pivot')}
                value={pivotUsed}
                onChange={(e) => setPivot(e.target.value as LanguageCode)}
              >
                {LANGUAGES.filter((l) => l.code !== 'en' && l.code !== clientLanguage).map((l) => (
                  <option key={l.code} value={l.code}>
                    {l.englishName}
                  </option>
                ))}
              </select>
            )}
          </label>
        )}
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
          {booked.furtherInterpreters?.some((f) => f.kind === 'RELAY') &&
            t('relay.bookedWith', {
              day: formatDay(booked.startsAt, booked.facility.timeZone),
              time: formatTime(booked.startsAt, booked.facility.timeZone),
              zone: zoneAbbreviation(booked.startsAt, booked.facility.timeZone),
              facility: booked.facility.name,
              interpreter: booked.interpreter?.name ?? '',
              relay: booked.furtherInterpreters.find((f) => f.kind === 'RELAY')?.name ?? '',
              pin: booked.kioskPin ?? '—',
            })}
          {!booked.furtherInterpreters?.some((f) => f.kind === 'RELAY') &&
            t(booked.interpreter ? 'booking.bookedWith' : 'booking.booked', {
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
      <ErrorNotice error={suggestions.error ?? relaySuggestions.error} />
      {relaySuggestions.data && (
        <RelaySlots
          data={relaySuggestions.data}
          chosen={chosenPair}
          onChoose={(startsAt, index) => setChosenPair({ ...chosenPair, [startsAt]: index })}
          busy={busy}
          onBook={(startsAt, pair) =>
            void book(startsAt, pair.interpreter.id, undefined, {
              interpreterId: pair.relay.id,
              pivotLanguage: relaySuggestions.data!.pivotLanguage,
            })
          }
        />
      )}

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

/** Slots where a relay pair is free together, each with its pairs (least booked first). */
function RelaySlots({
  data,
  chosen,
  onChoose,
  busy,
  onBook,
}: {
  data: RelaySuggestionResponse;
  chosen: Record<string, number>;
  onChoose: (startsAt: string, index: number) => void;
  busy: boolean;
  onBook: (startsAt: string, pair: RelaySuggestionResponse['slots'][number]['pairs'][number]) => void;
}) {
  const { t } = useTranslation('staff');
  const refusalText = useRefusalText();
  const zone = data.facility.timeZone;
  return (
    <>
      {data.dayRefusal && (
        <p className="notice error" role="note">
          {t('booking.noSlotsThatDay')} {refusalText(data.dayRefusal.code, data.dayRefusal.message)}
        </p>
      )}
      {!data.dayRefusal && data.slots.length === 0 && <p className="muted">{t('relay.noPair')}</p>}
      <ul className="slot-grid" aria-label={t('booking.openSlots')}>
        {data.slots.map((slot) => {
          const index = chosen[slot.startsAt] ?? 0;
          const label = `${formatTime(slot.startsAt, zone)}–${formatTime(slot.endsAt, zone)}`;
          const pair = slot.pairs[index] ?? slot.pairs[0];
          return (
            <li key={slot.startsAt} className="slot" aria-label={t('booking.slot', { label })}>
              <strong>
                {label} <span className="muted small">{zoneAbbreviation(slot.startsAt, zone)}</span>
              </strong>
              <select
                aria-label={t('relay.pairFor', { label })}
                value={index}
                onChange={(e) => onChoose(slot.startsAt, Number(e.target.value))}
              >
                {slot.pairs.map((p, i) => (
                  <option key={`${p.interpreter.id}-${p.relay.id}`} value={i}>
                    {t('relay.pair', {
                      interpreter: p.interpreter.name,
                      relay: p.relay.name,
                      hours: Math.round(p.bookedMinutesThisWeek / 6) / 10,
                    })}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button primary"
                disabled={busy || !pair}
                onClick={() => pair && onBook(slot.startsAt, pair)}
              >
                {t('booking.bookSlot', { time: formatTime(slot.startsAt, zone) })}
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
