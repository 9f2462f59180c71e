import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';
import type { WebhookDeliveryView, WebhookSecretIssued, WebhookView } from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { invalidateApi } from '../../api/apiQueries.ts';
import { useServerQuery } from '../../components/schedule/serverState.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { AdminNav, formatDateTime, OneTimeValue } from './adminWidgets.tsx';
import { deliveryStatusText } from './adminCodes.ts';

function toError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0);
}

export function ConnectionPage() {
  const { t } = useTranslation('admin');
  const webhook = useServerQuery<{ webhook: WebhookView | null }>('/webhooks');
  const deliveries = useServerQuery<{ items: WebhookDeliveryView[] }>('/webhooks/deliveries?limit=50');
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
      <h1>{t('connection.title')}</h1>
      <p className="lede">{t('connection.lede')}</p>
      <ErrorNotice error={webhook.error ?? error} />
      {webhook.data && (
        <SettingsForm
          key={current?.updatedAt ?? 'new'}
          current={current ?? null}
          onSaved={(newSecret) => {
            if (newSecret) setSecret(newSecret);
            setNotice(t('connection.saved'));
            void invalidateApi('/webhooks');
          }}
          onError={setError}
        />
      )}
      {notice && <p role="status">{notice}</p>}
      <section className="panel" aria-labelledby="secret-title">
        <h2 id="secret-title">{t('connection.secretTitle')}</h2>
        {secret && (
          <OneTimeValue label={t('connection.secretNew')} value={secret} note={t('connection.secretNote')} />
        )}
        {current ? <p className="muted">{t('connection.secretSet')}</p> : <p>{t('connection.none')}</p>}
        {current && (
          <div className="form-row">
            <button
              type="button"
              className="button"
              onClick={() =>
                void run(async () => {
                  if (!window.confirm(t('connection.confirmRotate'))) return;
                  const issued = await api<WebhookSecretIssued>('/webhooks/secret', {
                    method: 'POST',
                    body: {},
                  });
                  setSecret(issued.secret);
                })
              }
            >
              {t('connection.rotate')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() =>
                void run(async () => {
                  await api('/webhooks/test', { method: 'POST', body: {} });
                  setNotice(t('connection.testSent'));
                  await invalidateApi('/webhooks/deliveries');
                })
              }
            >
              {t('connection.test')}
            </button>
            <button
              type="button"
              className="button ghost"
              onClick={() =>
                void run(async () => {
                  if (!window.confirm(t('connection.confirmRemove'))) return;
                  await api('/webhooks', { method: 'DELETE' });
                  setSecret(null);
                  await invalidateApi('/webhooks');
                })
              }
            >
              {t('connection.remove')}
            </button>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="log-title">
        <div className="panel-head">
          <h2 id="log-title">{t('connection.logTitle')}</h2>
          <button type="button" className="button ghost" onClick={deliveries.reload}>
            {t('connection.refresh')}
          </button>
        </div>
        <ErrorNotice error={deliveries.error} />
        {deliveries.data?.items.length === 0 && <p>{t('connection.empty')}</p>}
        <table className="table" aria-label={t('connection.logTitle')}>
          <thead>
            <tr>
              <th>{t('connection.created')}</th>
              <th>{t('connection.event')}</th>
              <th>{t('connection.status')}</th>
              <th>{t('connection.attempts')}</th>
              <th>{t('connection.lastError')}</th>
              <th>{t('connection.lastAttempt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deliveries.data?.items.map((d) => (
              <tr key={d.id}>
                <td>{formatDateTime(d.createdAt)}</td>
                <td className="mono">{d.event}</td>
                <td title={d.status}>{deliveryStatusText(t, d.status)}</td>
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
                          await invalidateApi('/webhooks/deliveries');
                        })
                      }
                    >
                      {t('connection.retry')}
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
  const { t } = useTranslation('admin');
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
          <span>{t('connection.url')}</span>
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          {t('connection.active')}
        </label>
        <button type="submit" className="button primary">
          {t('connection.save')}
        </button>
      </form>
    </section>
  );
}
