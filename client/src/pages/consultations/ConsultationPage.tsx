import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import {
  findLanguage,
  type CaseRecord,
  type ClientTransferResponse,
  type ConsultationView,
  type FacilityConfirmationState,
  type SuggestionResponse,
} from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { invalidateSchedule, queryClient, useServerQuery } from '../../components/schedule/serverState.ts';
import { useSession } from '../../api/useSession.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefusalNotice } from '../../components/schedule/RefusalNotice.tsx';
import { useRefusalText } from '../../components/schedule/refusalMessages.ts';
import {
  formatDay,
  formatTime,
  zoneAbbreviation,
  zonedDate,
  zonedToUtc,
} from '../../components/schedule/zonedTime.ts';
import { describeEvent, type StaffT } from '../cases/describeEvent.ts';
import { InterpretersPanel } from './InterpretersPanel.tsx';
import { TransferPanel } from './TransferPanel.tsx';
import '../../components/schedule/schedule.css';
import './consultationPage.css';

function when(iso: string, zone: string): string {
  return `${formatDay(iso, zone)}, ${formatTime(iso, zone)} ${zoneAbbreviation(iso, zone)}`;
}

function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0);
}

function ConfirmationPanel({
  consultation,
  onChanged,
  canAct,
}: {
  consultation: ConsultationView;
  onChanged: (c: ConsultationView) => void;
  canAct: boolean;
}) {
  const { t } = useTranslation('staff');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const confirmation: FacilityConfirmationState | null = consultation.confirmation;
  const zone = consultation.facility.timeZone;
  const run = async (action: () => Promise<{ consultation: ConsultationView }>) => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged((await action()).consultation);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="confirmation-heading">
      <h2 id="confirmation-heading">{t('consultation.confirmationHeading')}</h2>
      {!confirmation ? (
        <p className="muted">{t('consultation.noConfirmation')}</p>
      ) : (
        <>
          <p data-testid="confirmation-state">
            <strong>{t(`confirmationState.${confirmation.state}`)}</strong>
            {confirmation.sentTo
              ? t('consultation.askedOn', {
                  email: confirmation.sentTo,
                  when: when(confirmation.requestedAt, zone),
                })
              : t('consultation.noContactEmail')}
            {confirmation.remindersSent > 0 &&
              t('consultation.reminders', { count: confirmation.remindersSent })}
          </p>
          {confirmation.answeredAt && (
            <p className="muted small">
              {t('consultation.answered', { when: when(confirmation.answeredAt, zone) })}
              {confirmation.recordedByStaff ? t('consultation.recordedByStaff') : ''}
            </p>
          )}
          {confirmation.declineReason && (
            <p>{t('consultation.facilityReason', { reason: confirmation.declineReason })}</p>
          )}
          {confirmation.proposedStartsAt && (
            <p>{t('consultation.proposedInstead', { when: when(confirmation.proposedStartsAt, zone) })}</p>
          )}
          {canAct && consultation.status === 'REQUESTED' && (
            <div className="form-row">
              {confirmation.state !== 'PROPOSED' && (
                <button
                  type="button"
                  className="button ghost"
                  disabled={busy}
                  onClick={() =>
                    void run(() =>
                      api(`/consultations/${consultation.id}/confirmation`, {
                        method: 'POST',
                        body: { answer: 'CONFIRM' },
                      }),
                    )
                  }
                >
                  {t('consultation.confirmedByPhone')}
                </button>
              )}
              {confirmation.proposedStartsAt && (
                <button
                  type="button"
                  className="button primary"
                  disabled={busy}
                  onClick={() =>
                    void run(() =>
                      api(`/consultations/${consultation.id}/reschedule`, {
                        method: 'POST',
                        body: { startsAt: confirmation.proposedStartsAt },
                      }),
                    )
                  }
                >
                  {t('consultation.moveToProposed')}
                </button>
              )}
            </div>
          )}
        </>
      )}
      <RefusalNotice error={error} />
    </section>
  );
}

function ReschedulePanel({
  consultation,
  onChanged,
}: {
  consultation: ConsultationView;
  onChanged: (c: ConsultationView) => void;
}) {
  const { t } = useTranslation('staff');
  const refusalText = useRefusalText();
  const zone = consultation.facility.timeZone;
  const duration = Math.round((Date.parse(consultation.endsAt) - Date.parse(consultation.startsAt)) / 60_000);
  const [date, setDate] = useState(() => zonedDate(Date.parse(consultation.startsAt), zone));
  const [time, setTime] = useState(() => formatTime(consultation.startsAt, zone));
  const [refusal, setRefusal] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const params = new URLSearchParams({
    caseId: consultation.case.id,
    attorneyId: consultation.attorney.id,
    facilityId: consultation.facility.id,
    language: consultation.language,
    date,
    durationMinutes: String(duration),
    stepMinutes: '30',
    consultationId: consultation.id,
  });
  const suggestions = useServerQuery<SuggestionResponse>(
    date ? `/scheduling/suggestions?${params.toString()}` : null,
  );
  const move = async (startsAt: string) => {
    setBusy(true);
    setRefusal(undefined);
    try {
      const { consultation: moved } = await api<{ consultation: ConsultationView }>(
        `/consultations/${consultation.id}/reschedule`,
        { method: 'POST', body: { startsAt } },
      );
      onChanged(moved);
    } catch (err) {
      setRefusal(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="reschedule-heading">
      <h2 id="reschedule-heading">{t('consultation.rescheduleHeading')}</h2>
      <p className="muted small">{t('consultation.rescheduleExplain')}</p>
      <div className="form-row">
        <label className="field">
          {t('consultation.newDay')}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
      </div>
      <ErrorNotice error={suggestions.error} />
      {suggestions.data?.dayRefusal && (
        <p className="notice error" role="note">
          {t('consultation.noSlotsThatDay')}{' '}
          {refusalText(suggestions.data.dayRefusal.code, suggestions.data.dayRefusal.message)}
        </p>
      )}
      {suggestions.data && (
        <ul className="slot-grid" aria-label={t('consultation.suggestedTimes')}>
          {suggestions.data.slots.map((slot) => (
            <li key={slot.startsAt} className="slot">
              <button
                type="button"
                className="button ghost"
                disabled={busy}
                onClick={() => void move(slot.startsAt)}
              >
                {t('consultation.moveTo', { time: formatTime(slot.startsAt, zone) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="form-row"
        aria-label={t('consultation.moveToSpecific')}
        onSubmit={(e) => {
          e.preventDefault();
          void move(zonedToUtc(date, time, zone).toISOString());
        }}
      >
        <label className="field">
          {t('consultation.specificTime', {
            zone: zoneAbbreviation(zonedToUtc(date, time, zone).getTime(), zone),
          })}
          <input type="time" value={time} onChange={(e) => setTime(e.target.value)} required />
        </label>
        <div className="field">
          <button type="submit" className="button primary" disabled={busy}>
            {t('consultation.moveCall')}
          </button>
        </div>
      </form>
      <RefusalNotice error={refusal} />
    </section>
  );
}

function CancelPanel({
  consultation,
  onChanged,
}: {
  consultation: ConsultationView;
  onChanged: (c: ConsultationView) => void;
}) {
  const { t } = useTranslation('staff');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <section className="panel" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">{t('consultation.cancelHeading')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          api<{ consultation: ConsultationView }>(`/consultations/${consultation.id}/cancel`, {
            method: 'POST',
            body: { reason },
          })
            .then((r) => onChanged(r.consultation))
            .catch((err: unknown) => setError(toApiError(err)))
            .finally(() => setBusy(false));
        }}
      >
        <label className="field">
          {t('consultation.cancelReasonLabel')}
          <textarea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            minLength={3}
            maxLength={500}
            rows={2}
          />
        </label>
        <button type="submit" className="button danger" disabled={busy}>
          {t('consultation.cancelCall')}
        </button>
      </form>
      <ErrorNotice error={error} />
    </section>
  );
}

/** Everything about one call, and what staff can do with it. */
export function ConsultationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('staff');
  const user = useSession();
  const [transfer, setTransfer] = useState<{ id: string; result: ClientTransferResponse } | null>(null);
  const loaded = useServerQuery<{ consultation: ConsultationView }>(`/consultations/${id}`);
  // The previous call's data stays while the next loads: never show it as this one.
  const fetched = loaded.data?.consultation.id === id ? loaded.data.consultation : undefined;
  const consultation = fetched;
  const caseId = consultation?.case.id;
  const isStaff = user?.role === 'STAFF' || user?.role === 'ADMIN';
  const record = useServerQuery<{ record: CaseRecord }>(
    caseId && user?.role !== 'INTERPRETER' ? `/cases/${caseId}` : null,
  );
  const own = record.data?.record.consultations.find((c) => c.id === id);
  if (!consultation) {
    return (
      <div className="page">
        <h1>{t('consultation.title')}</h1>
        <ErrorNotice error={loaded.error} />
        {!loaded.error && <p className="muted">{t('loading')}</p>}
      </div>
    );
  }
  const zone = consultation.facility.timeZone;
  const editable = consultation.status === 'REQUESTED' || consultation.status === 'SCHEDULED';
  // The answer of a change is the call as it is now: shown at once, then every view refetches.
  const onChanged = (c: ConsultationView) => {
    queryClient.setQueryData(['api', `/consultations/${c.id}`], { consultation: c });
    void invalidateSchedule();
  };
  return (
    <div className="page consultation-page">
      <h1>
        {t('consultation.titleWithClient', {
          name: `${consultation.client.firstName} ${consultation.client.lastName}`,
        })}
      </h1>
      <p>
        <span
          className={`status-badge status-${consultation.status.toLowerCase()}`}
          data-testid="consultation-status"
        >
          {t(`status.${consultation.status}`)}
        </span>
      </p>
      <section className="panel" aria-labelledby="details-heading">
        <h2 id="details-heading">{t('consultation.details')}</h2>
        <dl className="details">
          <dt>{t('consultation.when')}</dt>
          <dd>
            {when(consultation.startsAt, zone)} – {formatTime(consultation.endsAt, zone)}
          </dd>
          <dt>{t('consultation.case')}</dt>
          <dd>
            <Link to={`/cases/${consultation.case.id}`}>{consultation.case.reference}</Link>
          </dd>
          <dt>{t('consultation.facilityAndBooth')}</dt>
          <dd>
            {t('consultation.facilityBooth', {
              name: consultation.facility.name,
              code: consultation.facility.code,
            })}
          </dd>
          <dt>{t('consultation.language')}</dt>
          <dd>{findLanguage(consultation.language)?.englishName ?? consultation.language}</dd>
          <dt>{t('consultation.interpretation')}</dt>
          <dd>{t(`consultation.${consultation.mode}`)}</dd>
          <dt>{t('consultation.attorney')}</dt>
          <dd>{consultation.attorney.name}</dd>
          <dt>{t('consultation.interpreter')}</dt>
          <dd>{consultation.interpreter?.name ?? t('consultation.noInterpreter')}</dd>
          {consultation.kioskPin && (
            <>
              <dt>{t('consultation.kioskPin')}</dt>
              <dd>{consultation.kioskPin}</dd>
            </>
          )}
          <dt>{t('consultation.joinLink')}</dt>
          <dd>
            <Link
              to={`/calls/${consultation.id}`}
            >{`${window.location.origin}/calls/${consultation.id}`}</Link>
          </dd>
          {consultation.cancelReason && (
            <>
              <dt>{t('consultation.cancelReason')}</dt>
              <dd data-testid="cancel-reason">{consultation.cancelReason}</dd>
            </>
          )}
        </dl>
      </section>
      <InterpretersPanel consultation={consultation} canEdit={isStaff && editable} />
      <ConfirmationPanel consultation={consultation} onChanged={onChanged} canAct={isStaff} />
      {isStaff && editable && <ReschedulePanel consultation={consultation} onChanged={onChanged} />}
      {isStaff && editable && <CancelPanel consultation={consultation} onChanged={onChanged} />}
      {isStaff && (editable || transfer?.id === id) && (
        <TransferPanel
          consultation={consultation}
          transfer={transfer?.id === id ? transfer.result : null}
          onTransferred={(result) => {
            setTransfer({ id, result });
            void invalidateSchedule();
          }}
        />
      )}
      {own?.timeline && (
        <section className="panel" aria-labelledby="log-heading">
          <h2 id="log-heading">{t('consultation.sessionLog')}</h2>
          <ol className="timeline" aria-label={t('consultation.timeline')}>
            {own.timeline.map((event) => (
              <li key={event.seq}>
                <span className="muted small">{when(event.occurredAt, zone)}</span>{' '}
                {describeEvent(event, own.names, t as unknown as StaffT)}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
