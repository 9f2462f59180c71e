import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { CallTicket } from '@parley/shared';
import { ApiError } from '../api/http.ts';
import { fetchCallTicket } from './callApi.ts';
import { CallRoom } from './CallRoom.tsx';

const REFUSALS: Partial<Record<string, string>> = {
  CALL_NOT_OPEN: 'This call opens 15 minutes before its start time. Come back then.',
  CALL_ENDED: 'This call is over.',
  NOT_IN_CONSULTATION: 'You are not a participant of this call.',
  NOT_FOUND: 'This call does not exist in your organisation.',
};

/** `/calls/:id`: the attorney's, interpreter's or staff member's way into a call. */
export function CallPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [ticket, setTicket] = useState<CallTicket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const getTicket = useCallback(() => fetchCallTicket(id), [id]);

  useEffect(() => {
    let cancelled = false;
    getTicket().then(
      (t) => !cancelled && setTicket(t),
      (err: unknown) =>
        !cancelled &&
        setError(
          err instanceof ApiError
            ? (REFUSALS[err.code] ?? err.message)
            : 'Parley cannot be reached. Try again.',
        ),
    );
    return () => {
      cancelled = true;
    };
  }, [getTicket]);

  if (error) {
    return (
      <div className="page">
        <div className="notice error" role="alert">
          {error}
        </div>
        <Link to="/">Back to your home page</Link>
      </div>
    );
  }
  if (!ticket) return <p className="page muted">Opening the call…</p>;
  return (
    <CallRoom
      ticket={ticket}
      language="en"
      variant="participant"
      getTicket={getTicket}
      onDone={() => void navigate('/')}
    />
  );
}
