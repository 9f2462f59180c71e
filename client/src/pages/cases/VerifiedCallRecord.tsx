import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ATTESTATION_KEYS_PATH,
  CallAttestationStatementSchema,
  type CallAttestationResponse,
} from '@parley/shared';
import { useServerQuery } from '../../components/schedule/serverState.ts';

/**
 * "Verified call record": the call's record as Parley signed it when the call ended, to copy or
 * download and hand to a court or a case system. Anyone can check it with the published key
 * (ATTESTATION_KEYS_PATH) and `npm run verify-log`.
 */
export function VerifiedCallRecord({ consultationId }: { consultationId: string }) {
  const { data } = useServerQuery<CallAttestationResponse>(
    `/consultations/${encodeURIComponent(consultationId)}/attestation`,
  );
  const { t } = useTranslation('staff');
  const [copied, setCopied] = useState(false);
  const attestation = data?.attestation;
  if (!attestation) return null;
  const statement = CallAttestationStatementSchema.safeParse(JSON.parse(attestation.statement));
  const text = JSON.stringify(attestation, null, 2);
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `parley-call-record-${consultationId}.json`;
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section aria-label={t('case.record.region')} className="call-record">
      <h4>{t('case.record.heading')}</h4>
      {statement.success && (
        <p className="small">
          {t('case.record.signed', {
            when: new Date(statement.data.issuedAt).toUTCString(),
            key: attestation.keyId.slice(0, 12),
            participants: statement.data.participants.length,
            events: statement.data.log.events,
          })}{' '}
          {statement.data.statement}
        </p>
      )}
      <p className="small muted">
        {t('case.record.check', { path: ATTESTATION_KEYS_PATH, command: 'npm run verify-log' })}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard.writeText(text).then(() => setCopied(true));
          }}
        >
          {copied ? t('case.record.copied') : t('case.record.copy')}
        </button>
        <button type="button" className="button" onClick={download}>
          {t('case.record.download')}
        </button>
      </div>
    </section>
  );
}
