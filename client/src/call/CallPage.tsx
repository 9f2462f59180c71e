import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { CallTicket, ConsultationView } from '@parley/shared';
import { api } from '../api/http.ts';
import { useErrorText } from '../i18n/errorText.ts';
import { fetchCallTicket } from './callApi.ts';
import { callDetailsOf, type CallDetails } from './CallDetails.ts';
import { CallRoom } from './CallRoom.tsx';
import { PreJoin } from './PreJoin.tsx';
import type { CallDevices, CallPhase } from './useCall.ts';

/**
 * sessionStorage: this tab is in the call (with these devices), so a reload goes straight back in
 * (README: reloading rejoins) instead of through the device check again.
 */
const inCallKey = (consultationId: string) => `parley.inCall.${consultationId}`;

function devicesOfThisTab(consultationId: string): CallDevices | null {
  try {
    const saved = sessionStorage.getItem(inCallKey(consultationId));
    return saved ? (JSON.parse(saved) as CallDevices) : null;
  } catch {
    return null;
  }
}

/**
 * `/calls/:id`: the attorney's, interpreter's or staff member's way into a call. Attorneys and
 * interpreters first choose and check their microphone and speaker (staff receive no media).
 */
export function CallPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [ticket, setTicket] = useState<CallTicket | null>(null);
  const [details, setDetails] = useState<CallDetails | null>(null);
  /** Null until the person joins from the pre-join screen (staff skip it). */
  const [devices, setDevices] = useState<CallDevices | null>(null);
  /** Why the call cannot be opened: an API refusal, or the server out of reach. */
  const [error, setError] = useState<unknown>(null);
  const errorText = useErrorText('call');
  const { t } = useTranslation('call');
  const getTicket = useCallback(() => fetchCallTicket(id), [id]);

  useEffect(() => {
    let cancelled = false;
    // The ticket first: it says whether the call is open to this person, and as whom.
    getTicket().then(
      (t) => {
        if (cancelled) return;
        setTicket(t);
        if (t.participant.role === 'STAFF') setDevices({});
        else setDevices(devicesOfThisTab(id));
      },
      (err: unknown) => !cancelled && setError(err),
    );
    api<{ consultation: ConsultationView }>(`/consultations/${encodeURIComponent(id)}`).then(
      ({ consultation }) => !cancelled && setDetails(callDetailsOf(consultation)),
      // The header then goes without the case; the ticket's refusal says what matters.
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [getTicket, id]);

  const join = useCallback(
    (chosen: CallDevices) => {
      // A fresh ticket: the first one may have expired while the devices were being checked.
      getTicket().then(
        (t) => {
          setTicket(t);
          setDevices(chosen);
          sessionStorage.setItem(inCallKey(id), JSON.stringify(chosen));
        },
        (err: unknown) => setError(err),
      );
    },
    [getTicket, id],
  );
  // Out of the call (left, or ended): a later visit starts at the device check, not straight back
  // in with the microphone live. Back in (a rejoin from the "you left" screen): a reload resumes.
  const staff = ticket?.participant.role === 'STAFF';
  const phaseChanged = useCallback(
    (phase: CallPhase) => {
      if (phase === 'left' || phase === 'ended') sessionStorage.removeItem(inCallKey(id));
      else if ((phase === 'joining' || phase === 'in-call') && devices && !staff)
        sessionStorage.setItem(inCallKey(id), JSON.stringify(devices));
    },
    [devices, id, staff],
  );
  const done = useCallback(() => {
    sessionStorage.removeItem(inCallKey(id));
    void navigate('/');
  }, [id, navigate]);

  if (error !== null) {
    return (
      <div className="page">
        <div className="notice error" role="alert">
          {errorText(error)}
        </div>
        <Link to="/">{t('backHome')}</Link>
      </div>
    );
  }
  if (!ticket) return <p className="page muted">{t('opening')}</p>;
  if (!devices) return <PreJoin details={details} onJoin={join} onCancel={done} />;
  return (
    <CallRoom
      ticket={ticket}
      language="en"
      variant="participant"
      getTicket={getTicket}
      onDone={done}
      onPhase={phaseChanged}
      devices={devices}
      details={details}
    />
  );
}
