import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CallEndReason, CallRole } from '@parley/shared';
import { Icon } from '../components/Icon.tsx';
import type { CallDetails } from './CallDetails.ts';

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
  const { t, i18n } = useTranslation('call');
  return (
    <div className="call call-participant" lang={i18n.language}>
      <div className="call-ended" role="status">
        <p className="call-ended-title">{t('ended.title')}</p>
        {reason && <p>{t(`ended.why.${reason}`)}</p>}
        <section className="call-next" aria-label={t('ended.next')}>
          <h2>{t('ended.next')}</h2>
          <ul>
            <li>{details ? t('ended.logOf', { reference: details.caseReference }) : t('ended.log')}</li>
            {role === 'ATTORNEY' && <li>{t('ended.caseNote')}</li>}
            {role === 'INTERPRETER' && <li>{t('ended.interpreterMinutes')}</li>}
            <li>{t('ended.nothingRecorded')}</li>
          </ul>
        </section>
        <div className="call-ended-actions">
          {details && (
            <Link className="button primary call-big" to={`/cases/${details.caseId}`}>
              {t('ended.openCase')}
            </Link>
          )}
          <button type="button" className="button ghost call-big" onClick={onDone}>
            {t('backToSchedule')}
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
