import type { CallParticipantView } from '@parley/shared';
import { Icon } from '../components/Icon.tsx';

/** Whether the call screen marks this participant as in the call by phone (a SIP leg). */
export function isOnThePhone(participant: Pick<CallParticipantView, 'device'>): boolean {
  return participant.device === 'PHONE';
}

/**
 * Someone in the call by phone: a handset, and the words unless `iconOnly` (the kiosk shows
 * pictures, named for screen readers in the client's language). Never their number: the call
 * state does not carry it.
 */
export function OnThePhone({ label, iconOnly }: { label: string; iconOnly: boolean }) {
  return iconOnly ? (
    <span className="tile-phone">
      <Icon name="phone" size={24} label={label} />
    </span>
  ) : (
    <span className="tile-phone">
      <Icon name="phone" size={18} /> {label}
    </span>
  );
}
