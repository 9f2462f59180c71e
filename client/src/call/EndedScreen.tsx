import { Link } from 'react-router-dom';
import type { CallEndReason, CallRole } from '@parley/shared';
import { Icon } from '../components/Icon.tsx';
import type { CallDetails } from './CallDetails.ts';

const WHY: Record<CallEndReason, string> = {
  ENDED_BY_ATTORNEY: 'The attorney ended the call for everyone.',
  ENDED_BY_STAFF: 'Facility staff ended the call.',
  ENDED_BY_FACILITY: 'The facility ended the call.',
  TIME_LIMIT: "The call reached the facility's time limit.",
  EVERYONE_LEFT: 'Everyone left the call.',
  SERVER_ERROR: 'Parley had to end the call after an error on its side.',
};

/**
 * The end of the call for the attorney, interpreter and staff: why it ended and what happens next
 * (the session log on the case record, the case note for the attorney's own system).
 */
export function EndedScreen({
  reason,
  role,
  details,
  onDone,
}: {
  reason: CallEndReason | null;
  role: CallRole;
  details: CallDetails | null;
  onDone: () => void;
}) {
  return (
    <div className="call call-participant" lang="en">
      <div className="call-ended" role="status">
        <p className="call-ended-title">The call has ended.</p>
        {reason && <p>{WHY[reason]}</p>}
        <section className="call-next" aria-label="What happens next">
          <h2>What happens next</h2>
          <ul>
            <li>
              The session log — who joined and left, and when; never audio, video or words — is on the case
              record{details ? ` of ${details.caseReference}` : ''}, with its summary.
            </li>
            {role === 'ATTORNEY' && (
              <li>
                Your case note for this consultation (times, who took part, interpreter minutes) is ready on
                the case record to copy into your case management system.
              </li>
            )}
            {role === 'INTERPRETER' && <li>Your interpreter minutes are counted from the log.</li>}
            <li>Nothing said in the call was recorded, by Parley or the facility.</li>
          </ul>
        </section>
        <div className="call-ended-actions">
          {details && (
            <Link className="button primary call-big" to={`/cases/${details.caseId}`}>
              Open the case record
            </Link>
          )}
          <button type="button" className="button ghost call-big" onClick={onDone}>
            Back to my schedule
          </button>
        </div>
      </div>
    </div>
  );
}

/** This person left; the others may still be talking. They can come back while the call lasts. */
export function LeftScreen({
  title,
  hint,
  rejoinLabel,
  backLabel,
  onRejoin,
  onDone,
}: {
  title: string;
  hint: string;
  rejoinLabel: string;
  backLabel: string;
  onRejoin: () => void;
  onDone: () => void;
}) {
  return (
    <div className="call-ended call-left" role="status">
      <p className="call-ended-title">{title}</p>
      <p>{hint}</p>
      <button type="button" className="button primary call-big" onClick={onRejoin}>
        <Icon name="mic" /> {rejoinLabel}
      </button>
      <button type="button" className="button ghost call-big" onClick={onDone}>
        {backLabel}
      </button>
    </div>
  );
}
