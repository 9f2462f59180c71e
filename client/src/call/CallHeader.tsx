import type { CallParticipantView, CallRole, QualityLevel } from '@parley/shared';
import { Icon } from '../components/Icon.tsx';
import type { CallDetails } from './CallDetails.ts';
import { callPresence } from './callPresence.ts';

const ROLE_NAME: Record<CallRole, string> = {
  ATTORNEY: 'attorney',
  CLIENT: 'client',
  INTERPRETER: 'interpreter',
  STAFF: 'staff',
};

function list(roles: CallRole[]): string {
  const names = roles.map((r) => ROLE_NAME[r]);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The attorney's, interpreter's and staff member's header: which case and language this call is,
 * who it still waits for, that it is private, the time left and this person's own connection.
 */
export function CallHeader({
  details,
  participants,
  timeLeft,
  quality,
}: {
  details: CallDetails | null;
  participants: CallParticipantView[];
  timeLeft: { minutes: number; label: string } | null;
  quality: QualityLevel | null;
}) {
  const presence = details ? callPresence(details.expectedRoles, participants) : null;
  return (
    <header className="call-bar call-header">
      {details && (
        <span className="call-facts">
          <span>
            Case <strong className="mono">{details.caseReference}</strong>
          </span>
          <span>{details.languageName}</span>
        </span>
      )}
      {presence && (
        <span
          className={`call-presence${presence.missing.length || presence.reconnecting.length ? ' call-presence-waiting' : ''}`}
          role="status"
          aria-label="Who is in the call"
        >
          {presence.missing.length === 0 && presence.reconnecting.length === 0
            ? 'Everyone is here'
            : [
                presence.missing.length ? `Waiting for the ${list(presence.missing)}` : '',
                presence.reconnecting.length ? `The ${list(presence.reconnecting)}: reconnecting` : '',
              ]
                .filter(Boolean)
                .join(' · ')}
        </span>
      )}
      <span className="call-privacy">
        <Icon name="lock" size={18} /> This call is private. It is not recorded.
      </span>
      {timeLeft && (
        <span
          className={`call-timer${timeLeft.minutes < 5 ? ' call-timer-warn' : ''}`}
          aria-label="Time left"
        >
          <Icon name="timer" size={20} /> {timeLeft.label}
        </span>
      )}
      {quality && quality !== 'good' && (
        <span className={`quality quality-${quality}`}>Your connection is weak</span>
      )}
    </header>
  );
}
