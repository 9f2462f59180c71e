import { useTranslation } from 'react-i18next';
import type { CallParticipantView, CallRole, QualityLevel } from '@parley/shared';
import { Icon } from '../components/Icon.tsx';
import { useLanguageName } from '../i18n/languageName.ts';
import type { CallDetails } from './CallDetails.ts';
import { callPresence } from './callPresence.ts';

/** "the client and interpreter" (or "el cliente y el intérprete"): roles joined as the language joins them. */
export function useRoleList(): (roles: CallRole[]) => string {
  const { t, i18n } = useTranslation('call');
  const format = new Intl.ListFormat(i18n.language, { type: 'conjunction' });
  return (roles) => format.format(roles.map((role) => t(`roleInList.${role}`)));
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
  const { t } = useTranslation('call');
  const languageName = useLanguageName();
  const roleList = useRoleList();
  const presence = details ? callPresence(details.expectedRoles, participants) : null;
  return (
    <header className="call-bar call-header">
      {details && (
        <span className="call-facts">
          <span>
            {t('case')} <strong className="mono">{details.caseReference}</strong>
          </span>
          <span>{languageName(details.language)}</span>
        </span>
      )}
      {presence && (
        <span
          className={`call-presence${presence.missing.length || presence.reconnecting.length ? ' call-presence-waiting' : ''}`}
          role="status"
          aria-label={t('header.presence')}
        >
          {presence.missing.length === 0 && presence.reconnecting.length === 0
            ? t('header.everyone')
            : [
                presence.missing.length
                  ? t('header.waitingFor', {
                      who: roleList(presence.missing),
                      count: presence.missing.length,
                    })
                  : '',
                presence.reconnecting.length
                  ? t('header.reconnecting', {
                      who: roleList(presence.reconnecting),
                      count: presence.reconnecting.length,
                    })
                  : '',
              ]
                .filter(Boolean)
                .join(' · ')}
        </span>
      )}
      <span className="call-privacy">
        <Icon name="lock" size={18} /> {t('header.private')}
      </span>
      {timeLeft && (
        <span
          className={`call-timer${timeLeft.minutes < 5 ? ' call-timer-warn' : ''}`}
          aria-label={t('timeLeft')}
        >
          <Icon name="timer" size={20} /> {timeLeft.label}
        </span>
      )}
      {quality && quality !== 'good' && (
        <span className={`quality quality-${quality}`}>{t('header.weakConnection')}</span>
      )}
    </header>
  );
}
