import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  formatANumber,
  type CaseSummary,
  type ClientSummary,
  type FacilitySummary,
  type Page,
} from '@parley/shared';
import { useServerQuery } from '../components/schedule/serverState.ts';
import { useLanguageName } from '../i18n/languageName.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Pager } from '../components/Pager.tsx';
import { AttentionList } from '../components/schedule/AttentionList.tsx';

const PAGE_SIZE = 10;

export function StaffHome() {
  const { t } = useTranslation('staff');
  const languageName = useLanguageName();
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  if (query.trim()) params.set('q', query.trim());
  const clients = useServerQuery<Page<ClientSummary>>(`/clients?${params.toString()}`);
  const facilities = useServerQuery<{ items: FacilitySummary[] }>('/facilities');
  const [caseQuery, setCaseQuery] = useState('');
  const caseParams = new URLSearchParams({ limit: '10' });
  if (caseQuery.trim()) caseParams.set('q', caseQuery.trim());
  const cases = useServerQuery<Page<CaseSummary>>(`/cases?${caseParams.toString()}`);

  return (
    <div className="page">
      <h1>{t('home.title')}</h1>
      <AttentionList />
      <section className="panel">
        <div className="panel-head">
          <h2>{t('home.clients')}</h2>
          <input
            type="search"
            className="search"
            placeholder={t('home.searchClientsHint')}
            aria-label={t('home.searchClients')}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setOffset(0);
            }}
          />
        </div>
        <ErrorNotice error={clients.error} />
        <table className="table" aria-label={t('home.clients')}>
          <thead>
            <tr>
              <th>{t('home.name')}</th>
              <th>{t('home.aNumber')}</th>
              <th>{t('home.language')}</th>
              <th>{t('home.facility')}</th>
              <th>{t('home.openCases')}</th>
            </tr>
          </thead>
          <tbody>
            {clients.data?.items.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.lastName}, {c.firstName}
                </td>
                <td className="mono">{formatANumber(c.aNumber)}</td>
                <td>{languageName(c.preferredLanguage)}</td>
                <td>{c.facility?.name ?? '—'}</td>
                <td>{c.openCases}</td>
              </tr>
            ))}
            {clients.data?.items.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  {t('home.noClients', { query })}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {clients.data && (
          <Pager total={clients.data.total} limit={PAGE_SIZE} offset={offset} onChange={setOffset} />
        )}
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>{t('home.cases')}</h2>
          <input
            type="search"
            className="search"
            placeholder={t('home.searchCasesHint')}
            aria-label={t('home.searchCases')}
            value={caseQuery}
            onChange={(e) => setCaseQuery(e.target.value)}
          />
        </div>
        <ErrorNotice error={cases.error} />
        <table className="table" aria-label={t('home.cases')}>
          <thead>
            <tr>
              <th>{t('home.reference')}</th>
              <th>{t('home.client')}</th>
              <th>{t('home.attorneys')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.data?.items.map((c) => (
              <tr key={c.id}>
                <td className="mono">
                  <Link to={`/cases/${c.id}`}>{c.reference}</Link>
                </td>
                <td>
                  {c.client.lastName}, {c.client.firstName}
                </td>
                <td>{c.attorneys.map((a) => a.name).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {cases.data && cases.data.total > cases.data.items.length && (
          <p className="muted small">
            {t('home.showingCases', { shown: cases.data.items.length, total: cases.data.total })}
          </p>
        )}
      </section>
      <section className="panel">
        <h2>{t('home.facilities')}</h2>
        <ErrorNotice error={facilities.error} />
        <ul className="cards">
          {facilities.data?.items.map((f) => (
            <li key={f.id} className="card">
              <strong>{f.name}</strong>
              <span className="muted small">{f.address}</span>
              <span className="small">
                {t('home.facilityRules', {
                  count: f.booths,
                  minutes: f.maxCallMinutes,
                  hours: Math.round(f.minLeadTimeMinutes / 60),
                })}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
