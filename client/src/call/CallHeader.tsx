import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CallParticipantView, CallRole, QualityLevel } from '@parley/shared';
import { Icon } from '../components/Icon.tsx';
import { useLanguageName } from '../i18n/languageName.ts';
import type { CallDetails } from './CallDetails.ts';
import { callPresence } from './callPresence.ts';

/**
 * "Waiting for the client and interpreter" (or "Faltan el cliente y el intérprete"): the roles
 * joined as the reader's language joins a list, the sentence chosen by how many they are.
 */
export function rolesSentence(
  t: TFunction<'call'>,
  language: string,
  key: 'header.waitingFor' | 'header.reconnecting',
  roles: CallRole[],
): string {
  const who = new Intl.ListFormat(language, { type: 'conjunction' }).format(
    roles.map((role) => t(`roleInList.${role}`)),
  );
  return t(key, { who, count: roles.length });
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
  const { t, i18n } = useTranslation('call');
  const languageName = useLanguageName();
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
                  ? rolesSentence(t, i18n.language, 'header.waitingFor', presence.missing)
                  : '',
                presence.reconnecting.length
                  ? rolesSentence(t, i18n.language, 'header.reconnecting', presence.reconnecting)
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
