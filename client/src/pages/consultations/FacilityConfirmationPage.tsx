import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { findLanguage, type FacilityConfirmationView } from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDay, formatTime, zoneAbbreviation, zonedToUtc } from '../../components/schedule/zonedTime.ts';
import './consultationPage.css';

/** The page's words, in one place. */
const TEXT = {
  title: 'Confirm a legal video visit',
  intro: 'A legal aid organisation asks your facility to confirm this video visit. You need no account.',
  state: {
    PENDING: 'Waiting for your answer.',
    CONFIRMED: 'You confirmed this visit. Thank you.',
    DECLINED: 'You declined this visit.',
    PROPOSED: 'You proposed another time. The organisation will book it and let you know.',
    EXPIRED: 'This request has expired. The organisation can send a new one.',
  },
} as const;

function when(iso: string, zone: string): string {
  return `${formatDay(iso, zone)}, ${formatTime(iso, zone)} ${zoneAbbreviation(iso, zone)}`;
}

/**
 * What the facility's scheduling contact opens from the mailed link: the visit, and three answers.
 * The link's token is in the fragment (#…), which browsers never send to a server.
 */
export function FacilityConfirmationPage() {
  const { id = '' } = useParams();
  const [token] = useState(() => window.location.hash.slice(1));
  const [request, setRequest] = useState<FacilityConfirmationView | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('09:00');

  useEffect(() => {
    api<{ request: FacilityConfirmationView }>(`/facility-confirmations/${id}/view`, {
      method: 'POST',
      body: { token },
    }).then(
      (r) => setRequest(r.request),
      (err: unknown) => setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0)),
    );
  }, [id, token]);

  const answer = (body: Record<string, unknown>) => {
    setBusy(true);
    setError(undefined);
    api<{ request: FacilityConfirmationView }>(`/facility-confirmations/${id}/answer`, {
      method: 'POST',
      body: { token, ...body },
    })
      .then((r) => setRequest(r.request))
      .catch((err: unknown) =>
        setError(err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0)),
      )
      .finally(() => setBusy(false));
  };

  const zone = request?.facility.timeZone ?? 'America/Chicago';
  const open = request?.confirmation.state === 'PENDING' && request.status === 'REQUESTED';
  return (
    <main className="page consultation-page" aria-labelledby="confirm-heading">
      <h1 id="confirm-heading">{TEXT.title}</h1>
      <p>{TEXT.intro}</p>
      <ErrorNotice error={error} />
      {request && (
        <>
          <section className="panel" aria-labelledby="visit-heading">
            <h2 id="visit-heading">The visit</h2>
            <dl className="details">
              <dt>Facility</dt>
              <dd>{request.facility.name}</dd>
              <dt>When</dt>
              <dd>
                {when(request.startsAt, zone)} – {formatTime(request.endsAt, zone)}
              </dd>
              <dt>Detained person</dt>
              <dd>
                {request.clientName}, A-Number {request.aNumber}
              </dd>
              <dt>Attorney</dt>
              <dd>{request.attorneyName}</dd>
              <dt>Language</dt>
              <dd>{findLanguage(request.language)?.englishName ?? request.language}</dd>
            </dl>
            <p role="status" data-testid="answer-state">
              <strong>{TEXT.state[request.confirmation.state]}</strong>
            </p>
          </section>
          {open && (
            <section className="panel" aria-labelledby="answer-heading">
              <h2 id="answer-heading">Your answer</h2>
              <button
                type="button"
                className="button primary"
                disabled={busy}
                onClick={() => answer({ answer: 'CONFIRM' })}
              >
                Confirm the visit
              </button>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  answer({ answer: 'DECLINE', reason });
                }}
              >
                <label className="field">
                  Reason for declining
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
                  Decline the visit
                </button>
              </form>
              <form
                className="form-row"
                onSubmit={(e) => {
                  e.preventDefault();
                  answer({ answer: 'PROPOSE', proposedStartsAt: zonedToUtc(date, time, zone).toISOString() });
                }}
              >
                <label className="field">
                  Another day
                  <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
                </label>
                <label className="field">
                  Time ({zone})
                  <input type="time" value={time} onChange={(e) => setTime(e.target.value)} required />
                </label>
                <div className="field">
                  <button type="submit" className="button ghost" disabled={busy}>
                    Propose this time
                  </button>
                </div>
              </form>
            </section>
          )}
        </>
      )}
    </main>
  );
}
