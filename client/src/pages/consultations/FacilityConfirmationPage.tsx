import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { FacilityConfirmationView } from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDay, formatTime, zoneAbbreviation, zonedToUtc } from '../../components/schedule/zonedTime.ts';
import { useLanguageName } from '../../i18n/languageName.ts';
import './consultationPage.css';

function when(iso: string, zone: string): string {
  return `${formatDay(iso, zone)}, ${formatTime(iso, zone)} ${zoneAbbreviation(iso, zone)}`;
}

/**
 * What the facility's scheduling contact opens from the mailed link: the visit, and three answers.
 * The link's token is in the fragment (#…), which browsers never send to a server.
 */
export function FacilityConfirmationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('staff');
  const languageName = useLanguageName();
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
      <h1 id="confirm-heading">{t('facilityConfirmation.title')}</h1>
      <p>{t('facilityConfirmation.intro')}</p>
      <ErrorNotice error={error} />
      {request && (
        <>
          <section className="panel" aria-labelledby="visit-heading">
            <h2 id="visit-heading">{t('facilityConfirmation.visit')}</h2>
            <dl className="details">
              <dt>{t('facilityConfirmation.facility')}</dt>
              <dd>{request.facility.name}</dd>
              <dt>{t('facilityConfirmation.when')}</dt>
              <dd>
                {when(request.startsAt, zone)} – {formatTime(request.endsAt, zone)}
              </dd>
              <dt>{t('facilityConfirmation.person')}</dt>
              <dd>
                {t('facilityConfirmation.personValue', {
                  name: request.clientName,
                  aNumber: request.aNumber,
                })}
              </dd>
              <dt>{t('facilityConfirmation.attorney')}</dt>
              <dd>{request.attorneyName}</dd>
              <dt>{t('facilityConfirmation.language')}</dt>
              <dd>{languageName(request.language)}</dd>
            </dl>
            <p role="status" data-testid="answer-state">
              <strong>{t(`facilityConfirmation.state.${request.confirmation.state}`)}</strong>
            </p>
          </section>
          {open && (
            <section className="panel" aria-labelledby="answer-heading">
              <h2 id="answer-heading">{t('facilityConfirmation.yourAnswer')}</h2>
              <button
                type="button"
                className="button primary"
                disabled={busy}
                onClick={() => answer({ answer: 'CONFIRM' })}
              >
                {t('facilityConfirmation.confirm')}
              </button>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  answer({ answer: 'DECLINE', reason });
                }}
              >
                <label className="field">
                  {t('facilityConfirmation.declineReason')}
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
                  {t('facilityConfirmation.decline')}
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
                  {t('facilityConfirmation.anotherDay')}
                  <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
                </label>
                <label className="field">
                  {t('facilityConfirmation.time', { zone })}
                  <input type="time" value={time} onChange={(e) => setTime(e.target.value)} required />
                </label>
                <div className="field">
                  <button type="submit" className="button ghost" disabled={busy}>
                    {t('facilityConfirmation.propose')}
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
