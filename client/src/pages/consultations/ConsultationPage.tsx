import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  findLanguage,
  type CaseRecord,
  type ConsultationView,
  type FacilityConfirmationState,
  type SuggestionResponse,
} from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { useApi } from '../../api/useApi.ts';
import { useSession } from '../../api/useSession.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefusalNotice } from '../../components/schedule/RefusalNotice.tsx';
import { explainRefusal } from '../../components/schedule/refusalMessages.ts';
import {
  formatDay,
  formatTime,
  zoneAbbreviation,
  zonedDate,
  zonedToUtc,
} from '../../components/schedule/zonedTime.ts';
import { describeEvent } from '../cases/describeEvent.ts';
import '../../components/schedule/schedule.css';
import './consultationPage.css';

/** The page's words, in one place (staff screens: English; a `schedule` catalog is still to come). */
const TEXT = {
  status: {
    REQUESTED: 'Awaiting the facility’s confirmation',
    SCHEDULED: 'Confirmed',
    IN_PROGRESS: 'In progress',
    COMPLETED: 'Completed',
    CANCELLED: 'Cancelled',
    NO_SHOW: 'No-show',
  },
  confirmation: {
    PENDING: 'Asked; no answer yet',
    CONFIRMED: 'Confirmed by the facility',
    DECLINED: 'Declined by the facility',
    PROPOSED: 'The facility proposed another time',
    EXPIRED: 'The facility did not answer in time',
  },
} as const;

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
      <h2 id="confirmation-heading">Facility confirmation</h2>
      {!confirmation ? (
        <p className="muted">This facility takes calls as booked: no confirmation is asked.</p>
      ) : (
        <>
          <p data-testid="confirmation-state">
            <strong>{TEXT.confirmation[confirmation.state]}</strong>
            {confirmation.sentTo
              ? ` · asked ${confirmation.sentTo} on ${when(confirmation.requestedAt, zone)}`
              : ' · the facility has no contact email: confirm by phone'}
            {confirmation.remindersSent > 0 && ` · ${confirmation.remindersSent} reminder(s) sent`}
          </p>
          {confirmation.answeredAt && (
            <p className="muted small">
              Answered {when(confirmation.answeredAt, zone)}
              {confirmation.recordedByStaff ? ' (recorded by staff)' : ''}
            </p>
          )}
          {confirmation.declineReason && <p>Facility’s reason: {confirmation.declineReason}</p>}
          {confirmation.proposedStartsAt && (
            <p>Proposed instead: {when(confirmation.proposedStartsAt, zone)}</p>
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
                  The facility confirmed by phone
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
                  Move to the proposed time
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
  const suggestions = useApi<SuggestionResponse>(
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
      <h2 id="reschedule-heading">Reschedule</h2>
      <p className="muted small">
        The same rules as booking apply. At a facility that confirms its calls, it is asked again.
      </p>
      <div className="form-row">
        <label className="field">
          New day
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
      </div>
      <ErrorNotice error={suggestions.error} />
      {suggestions.data?.dayRefusal && (
        <p className="notice error" role="note">
          No slots that day:{' '}
          {explainRefusal(suggestions.data.dayRefusal.code, suggestions.data.dayRefusal.message)}
        </p>
      )}
      {suggestions.data && (
        <ul className="slot-grid" aria-label="Suggested times">
          {suggestions.data.slots.map((slot) => (
            <li key={slot.startsAt} className="slot">
              <button
                type="button"
                className="button ghost"
                disabled={busy}
                onClick={() => void move(slot.startsAt)}
              >
                Move to {formatTime(slot.startsAt, zone)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="form-row"
        aria-label="Move to a specific time"
        onSubmit={(e) => {
          e.preventDefault();
          void move(zonedToUtc(date, time, zone).toISOString());
        }}
      >
        <label className="field">
          Specific time ({zoneAbbreviation(zonedToUtc(date, time, zone).getTime(), zone)})
          <input type="time" value={time} onChange={(e) => setTime(e.target.value)} required />
        </label>
        <div className="field">
          <button type="submit" className="button primary" disabled={busy}>
            Move the call
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
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <section className="panel" aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancel the call</h2>
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
          Reason (kept with the consultation)
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
          Cancel the call
        </button>
      </form>
      <ErrorNotice error={error} />
    </section>
  );
}

/** Everything about one call, and what staff can do with it. */
export function ConsultationPage() {
  const { id = '' } = useParams();
  const user = useSession();
  const loaded = useApi<{ consultation: ConsultationView }>(`/consultations/${id}`);
  const [changed, setChanged] = useState<ConsultationView | null>(null);
  const consultation = changed?.id === id ? changed : loaded.data?.consultation;
  const caseId = consultation?.case.id;
  const isStaff = user?.role === 'STAFF' || user?.role === 'ADMIN';
  const record = useApi<{ record: CaseRecord }>(
    caseId && user?.role !== 'INTERPRETER'
      ? `/cases/${caseId}?r=${consultation.status}:${consultation.startsAt}`
      : null,
  );
  const own = record.data?.record.consultations.find((c) => c.id === id);
  if (!consultation) {
    return (
      <div className="page">
        <h1>Consultation</h1>
        <ErrorNotice error={loaded.error} />
        {!loaded.error && <p className="muted">Loading…</p>}
      </div>
    );
  }
  const zone = consultation.facility.timeZone;
  const editable = consultation.status === 'REQUESTED' || consultation.status === 'SCHEDULED';
  const onChanged = (c: ConsultationView) => setChanged(c);
  return (
    <div className="page consultation-page">
      <h1>
        Consultation · {consultation.client.firstName} {consultation.client.lastName}
      </h1>
      <p>
        <span
          className={`status-badge status-${consultation.status.toLowerCase()}`}
          data-testid="consultation-status"
        >
          {TEXT.status[consultation.status]}
        </span>
      </p>
      <section className="panel" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="details">
          <dt>When</dt>
          <dd>
            {when(consultation.startsAt, zone)} – {formatTime(consultation.endsAt, zone)}
          </dd>
          <dt>Case</dt>
          <dd>
            <Link to={`/cases/${consultation.case.id}`}>{consultation.case.reference}</Link>
          </dd>
          <dt>Facility and booth</dt>
          <dd>
            {consultation.facility.name} ({consultation.facility.code}), a video booth there
          </dd>
          <dt>Language</dt>
          <dd>{findLanguage(consultation.language)?.englishName ?? consultation.language}</dd>
          <dt>Interpretation</dt>
          <dd>{consultation.mode === 'SIMULTANEOUS' ? 'Simultaneous' : 'Consecutive'}</dd>
          <dt>Attorney</dt>
          <dd>{consultation.attorney.name}</dd>
          <dt>Interpreter</dt>
          <dd>{consultation.interpreter?.name ?? 'None yet'}</dd>
          {consultation.kioskPin && (
            <>
              <dt>Kiosk PIN</dt>
              <dd>{consultation.kioskPin}</dd>
            </>
          )}
          <dt>Join link</dt>
          <dd>
            <Link
              to={`/calls/${consultation.id}`}
            >{`${window.location.origin}/calls/${consultation.id}`}</Link>
          </dd>
          {consultation.cancelReason && (
            <>
              <dt>Cancellation reason</dt>
              <dd data-testid="cancel-reason">{consultation.cancelReason}</dd>
            </>
          )}
        </dl>
      </section>
      <ConfirmationPanel consultation={consultation} onChanged={onChanged} canAct={isStaff} />
      {isStaff && editable && <ReschedulePanel consultation={consultation} onChanged={onChanged} />}
      {isStaff && editable && <CancelPanel consultation={consultation} onChanged={onChanged} />}
      {own?.timeline && (
        <section className="panel" aria-labelledby="log-heading">
          <h2 id="log-heading">Session log</h2>
          <ol className="timeline" aria-label="Timeline">
            {own.timeline.map((event) => (
              <li key={event.seq}>
                <span className="muted small">{when(event.occurredAt, zone)}</span>{' '}
                {describeEvent(event, own.names)}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
