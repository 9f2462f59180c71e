import { useState } from 'react';
import {
  ATTESTATION_KEYS_PATH,
  CallAttestationStatementSchema,
  type CallAttestationResponse,
} from '@parley/shared';
import { useApi } from '../../api/useApi.ts';

/**
 * "Verified call record": the call's record as Parley signed it when the call ended, to copy or
 * download and hand to a court or a case system. Anyone can check it with the published key
 * (ATTESTATION_KEYS_PATH) and `npm run verify-log`.
 */
export function VerifiedCallRecord({ consultationId }: { consultationId: string }) {
  const { data } = useApi<CallAttestationResponse>(
    `/consultations/${encodeURIComponent(consultationId)}/attestation`,
  );
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
    <section aria-label="Verified call record" className="call-record">
      <h4>Verified call record</h4>
      {statement.success && (
        <p className="small">
          Signed by Parley on {new Date(statement.data.issuedAt).toUTCString()} (key{' '}
          <code>{attestation.keyId.slice(0, 12)}…</code>): {statement.data.participants.length} participants,{' '}
          {statement.data.log.events} log events sealed. {statement.data.statement}
        </p>
      )}
      <p className="small muted">
        Check it with the key at <code>{ATTESTATION_KEYS_PATH}</code> and <code>npm run verify-log</code>.
      </p>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard.writeText(text).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy record'}
        </button>
        <button type="button" className="button" onClick={download}>
          Download record
        </button>
      </div>
    </section>
  );
}
