import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type {
  ClientTransferResponse,
  ConsultationView,
  FacilitySummary,
  SuggestedSlotView,
  SuggestionResponse,
} from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { invalidateSchedule, useServerQuery } from '../../components/schedule/serverState.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefusalNotice } from '../../components/schedule/RefusalNotice.tsx';
import { useRefusalText } from '../../components/schedule/refusalMessages.ts';
import { formatTime, zonedDate } from '../../components/schedule/zonedTime.ts';

function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0);
}

/** The interpreter a rebooked call keeps: the same one when free, else the best ranked, else none. */
export function rebookInterpreter(slot: SuggestedSlotView, current: string | null): string | null {
  if (current && slot.interpreters.some((i) => i.id === current)) return current;
  return slot.interpreters[0]?.id ?? null;
}

/**
 * "The client was moved to another facility": records the move (the client's calls still to come
 * elsewhere are cancelled by it), then offers this call again at the new facility, with slots
 * suggested under the same rules as any booking.
 */
export function TransferPanel({
  consultation,
  transfer,
  onTransferred,
}: {
  consultation: ConsultationView;
  transfer: ClientTransferResponse | null;
  onTransferred: (t: ClientTransferResponse) => void;
}) {
  const { t } = useTranslation('staff');
  const facilities = useServerQuery<{ items: FacilitySummary[] }>('/facilities');
  const [toFacilityId, setToFacilityId] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const others = (facilities.data?.items ?? []).filter((f) => f.id !== consultation.facility.id);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onTransferred(
        await api<ClientTransferResponse>(`/clients/${consultation.client.id}/transfers`, {
          method: 'POST',
          body: { toFacilityId, consultationId: consultation.id },
        }),
      );
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="transfer-heading">
      <h2 id="transfer-heading">{t('transfer.heading')}</h2>
      {transfer ? (
        <>
          <p role="status" data-testid="transfer-done">
            {t('transfer.done', {
              facility: transfer.transfer.to.name,
              count: transfer.cancelledConsultationIds.length,
            })}
          </p>
          <RebookPanel consultation={consultation} facility={transfer.transfer.to} />
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <p className="muted small">{t('transfer.explain')}</p>
          <ErrorNotice error={facilities.error} />
          <div className="form-row">
            <label className="field">
              {t('transfer.newFacility')}
              <select value={toFacilityId} onChange={(e) => setToFacilityId(e.target.value)} required>
                <option value="">{t('transfer.choose')}</option>
                {others.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name} ({f.code})
                  </option>
                ))}
              </select>
            </label>
            <div className="field">
              <button type="submit" className="button danger" disabled={busy || !toFacilityId}>
                {t('transfer.submit')}
              </button>
            </div>
          </div>
          <ErrorNotice error={error} />
        </form>
      )}
    </section>
  );
}

/** Book this call again at the client's new facility: a day, then one of the suggested slots. */
function RebookPanel({
  consultation,
  facility,
}: {
  consultation: ConsultationView;
  facility: { id: string; name: string };
}) {
  const { t } = useTranslation('staff');
  const refusalText = useRefusalText();
  const duration = Math.round((Date.parse(consultation.endsAt) - Date.parse(consultation.startsAt)) / 60_000);
  const [date, setDate] = useState(() =>
    zonedDate(Date.parse(consultation.startsAt), consultation.facility.timeZone),
  );
  const [refusal, setRefusal] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<ConsultationView | null>(null);
  const params = new URLSearchParams({
    caseId: consultation.case.id,
    attorneyId: consultation.attorney.id,
    facilityId: facility.id,
    language: consultation.language,
    date,
    durationMinutes: String(duration),
    stepMinutes: '30',
  });
  const suggestions = useServerQuery<SuggestionResponse>(
    date && !booked ? `/scheduling/suggestions?${params}` : null,
  );
  const zone = suggestions.data?.facility.timeZone ?? consultation.facility.timeZone;

  const book = async (slot: SuggestedSlotView) => {
    setBusy(true);
    setRefusal(undefined);
    try {
      const { consultation: created } = await api<{ consultation: ConsultationView }>('/consultations', {
        method: 'POST',
        body: {
          caseId: consultation.case.id,
          attorneyId: consultation.attorney.id,
          interpreterId: rebookInterpreter(slot, consultation.interpreter?.id ?? null),
          facilityId: facility.id,
          language: consultation.language,
          mode: consultation.mode,
          startsAt: slot.startsAt,
          durationMinutes: duration,
        },
      });
      setBooked(created);
      void invalidateSchedule();
    } catch (err) {
      setRefusal(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (booked) {
    return (
      <p role="status" data-testid="rebooked">
        {t('transfer.rebooked', { facility: booked.facility.name })}{' '}
        <Link to={`/consultations/${booked.id}`}>{t('transfer.openRebooked')}</Link>
      </p>
    );
  }
  return (
    <div aria-labelledby="rebook-heading">
      <h3 id="rebook-heading">{t('transfer.rebookHeading', { facility: facility.name })}</h3>
      <p className="muted small">{t('transfer.rebookExplain')}</p>
      <label className="field">
        {t('transfer.day')}
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
      </label>
      <ErrorNotice error={suggestions.error} />
      {suggestions.data?.dayRefusal && (
        <p className="notice error" role="note">
          {t('transfer.noSlots')}{' '}
          {refusalText(suggestions.data.dayRefusal.code, suggestions.data.dayRefusal.message)}
        </p>
      )}
      {suggestions.data && (
        <ul className="slot-grid" aria-label={t('transfer.suggested')}>
          {suggestions.data.slots.map((slot) => {
            const interpreter = slot.interpreters.find(
              (i) => i.id === rebookInterpreter(slot, consultation.interpreter?.id ?? null),
            );
            return (
              <li key={slot.startsAt} className="slot">
                <button
                  type="button"
                  className="button ghost"
                  disabled={busy}
                  onClick={() => void book(slot)}
                >
                  {interpreter
                    ? t('transfer.bookAtWith', {
                        time: formatTime(slot.startsAt, zone),
                        name: interpreter.name,
                      })
                    : t('transfer.bookAt', { time: formatTime(slot.startsAt, zone) })}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <RefusalNotice error={refusal} />
    </div>
  );
}
