import { useState, type FormEvent } from 'react';
import type { WebhookDeliveryView, WebhookSecretIssued, WebhookView } from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { useApi } from '../../api/useApi.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { AdminNav, formatDateTime, OneTimeValue } from './adminWidgets.tsx';

const STRINGS = {
  title: 'Case-system connection',
  lede: 'When a call ends, Parley posts its case note to your case management system at this address, signed with the secret below (Standard Webhooks headers).',
  url: 'Webhook URL',
  active: 'Send case notes',
  save: 'Save connection',
  saved: 'Saved.',
  secretTitle: 'Signing secret',
  secretNew: 'New signing secret',
  secretNote:
    'Shown only now. Put it in your case system’s webhook verifier; Parley keeps it but never shows it again.',
  secretSet: 'A signing secret is set. It is never shown again; rotate it to get a new one.',
  rotate: 'Rotate secret',
  confirmRotate: 'Make a new secret? Messages are signed with the new one at once; update your receiver.',
  test: 'Send a test event',
  testSent: 'Test event sent. It appears in the delivery log below.',
  remove: 'Remove connection',
  confirmRemove: 'Remove the connection and its delivery log?',
  logTitle: 'Delivery log',
  refresh: 'Refresh',
  created: 'Created',
  event: 'Event',
  status: 'Status',
  attempts: 'Attempts',
  lastError: 'Last error',
  lastAttempt: 'Last attempt',
  retry: 'Retry',
  empty: 'Nothing sent yet.',
  none: 'No connection is set up.',
} as const;

function toError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0);
}

export function ConnectionPage() {
  const webhook = useApi<{ webhook: WebhookView | null }>('/webhooks');
  const deliveries = useApi<{ items: WebhookDeliveryView[] }>('/webhooks/deliveries?limit=50');
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | undefined>();

  async function run(action: () => Promise<void>) {
    setError(undefined);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setError(toError(err));
    }
  }

  const current = webhook.data?.webhook;

  return (
    <div className="page">
      <AdminNav />
      <h1>{STRINGS.title}</h1>
      <p className="lede">{STRINGS.lede}</p>
      <ErrorNotice error={webhook.error ?? error} />
      {webhook.data && (
        <SettingsForm
          key={current?.updatedAt ?? 'new'}
          current={current ?? null}
          onSaved={(newSecret) => {
            if (newSecret) setSecret(newSecret);
            setNotice(STRINGS.saved);
            webhook.reload();
          }}
          onError={setError}
        />
      )}
      {notice && <p role="status">{notice}</p>}
      <section className="panel" aria-labelledby="secret-title">
        <h2 id="secret-title">{STRINGS.secretTitle}</h2>
        {secret && <OneTimeValue label={STRINGS.secretNew} value={secret} note={STRINGS.secretNote} />}
        {current ? <p className="muted">{STRINGS.secretSet}</p> : <p>{STRINGS.none}</p>}
        {current && (
          <div className="form-row">
            <button
              type="button"
              className="button"
              onClick={() =>
                void run(async () => {
                  if (!window.confirm(STRINGS.confirmRotate)) return;
                  const issued = await api<WebhookSecretIssued>('/webhooks/secret', {
                    method: 'POST',
                    body: {},
                  });
                  setSecret(issued.secret);
                })
              }
            >
              {STRINGS.rotate}
            </button>
            <button
              type="button"
              className="button"
              onClick={() =>
                void run(async () => {
                  await api('/webhooks/test', { method: 'POST', body: {} });
                  setNotice(STRINGS.testSent);
                  deliveries.reload();
                })
              }
            >
              {STRINGS.test}
            </button>
            <button
              type="button"
              className="button ghost"
              onClick={() =>
                void run(async () => {
                  if (!window.confirm(STRINGS.confirmRemove)) return;
                  await api('/webhooks', { method: 'DELETE' });
                  setSecret(null);
                  webhook.reload();
                  deliveries.reload();
                })
              }
            >
              {STRINGS.remove}
            </button>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="log-title">
        <div className="panel-head">
          <h2 id="log-title">{STRINGS.logTitle}</h2>
          <button type="button" className="button ghost" onClick={deliveries.reload}>
            {STRINGS.refresh}
          </button>
        </div>
        <ErrorNotice error={deliveries.error} />
        {deliveries.data?.items.length === 0 && <p>{STRINGS.empty}</p>}
        <table className="table" aria-label={STRINGS.logTitle}>
          <thead>
            <tr>
              <th>{STRINGS.created}</th>
              <th>{STRINGS.event}</th>
              <th>{STRINGS.status}</th>
              <th>{STRINGS.attempts}</th>
              <th>{STRINGS.lastError}</th>
              <th>{STRINGS.lastAttempt}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deliveries.data?.items.map((d) => (
              <tr key={d.id}>
                <td>{formatDateTime(d.createdAt)}</td>
                <td className="mono">{d.event}</td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td>{d.lastError ?? '—'}</td>
                <td>{formatDateTime(d.lastAttemptAt)}</td>
                <td>
                  {d.status === 'FAILED' && (
                    <button
                      type="button"
                      className="button ghost"
                      onClick={() =>
                        void run(async () => {
                          await api(`/webhooks/deliveries/${d.id}/retry`, { method: 'POST', body: {} });
                          deliveries.reload();
                        })
                      }
                    >
                      {STRINGS.retry}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function SettingsForm({
  current,
  onSaved,
  onError,
}: {
  current: WebhookView | null;
  onSaved: (newSecret: string | undefined) => void;
  onError: (error: ApiError) => void;
}) {
  const [url, setUrl] = useState(current?.url ?? '');
  const [active, setActive] = useState(current?.active ?? true);

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const saved = await api<{ webhook: WebhookView; secret?: string }>('/webhooks', {
        method: 'PUT',
        body: { url, active },
      });
      onSaved(saved.secret);
    } catch (err) {
      onError(toError(err));
    }
  }

  return (
    <section className="panel">
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{STRINGS.url}</span>
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          {STRINGS.active}
        </label>
        <button type="submit" className="button primary">
          {STRINGS.save}
        </button>
      </form>
    </section>
  );
}
