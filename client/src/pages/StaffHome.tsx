import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  findLanguage,
  formatANumber,
  type CaseSummary,
  type ClientSummary,
  type FacilitySummary,
  type Page,
} from '@parley/shared';
import { useApi } from '../api/useApi.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Pager } from '../components/Pager.tsx';
import { AttentionList } from '../components/schedule/AttentionList.tsx';

const PAGE_SIZE = 10;

export function StaffHome() {
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  if (query.trim()) params.set('q', query.trim());
  const clients = useApi<Page<ClientSummary>>(`/clients?${params.toString()}`);
  const facilities = useApi<{ items: FacilitySummary[] }>('/facilities');
  const [caseQuery, setCaseQuery] = useState('');
  const caseParams = new URLSearchParams({ limit: '10' });
  if (caseQuery.trim()) caseParams.set('q', caseQuery.trim());
  const cases = useApi<Page<CaseSummary>>(`/cases?${caseParams.toString()}`);

  return (
    <div className="page">
      <h1>Today at a glance</h1>
      <AttentionList />
      <section className="panel">
        <div className="panel-head">
          <h2>Clients</h2>
          <input
            type="search"
            className="search"
            placeholder="Search by name or A-Number"
            aria-label="Search clients"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setOffset(0);
            }}
          />
        </div>
        <ErrorNotice error={clients.error} />
        <table className="table" aria-label="Clients">
          <thead>
            <tr>
              <th>Name</th>
              <th>A-Number</th>
              <th>Language</th>
              <th>Facility</th>
              <th>Open cases</th>
            </tr>
          </thead>
          <tbody>
            {clients.data?.items.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.lastName}, {c.firstName}
                </td>
                <td className="mono">{formatANumber(c.aNumber)}</td>
                <td>{findLanguage(c.preferredLanguage)?.englishName ?? c.preferredLanguage}</td>
                <td>{c.facility?.name ?? '—'}</td>
                <td>{c.openCases}</td>
              </tr>
            ))}
            {clients.data?.items.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No clients match “{query}”.
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
          <h2>Cases</h2>
          <input
            type="search"
            className="search"
            placeholder="Search by reference or client name"
            aria-label="Search cases"
            value={caseQuery}
            onChange={(e) => setCaseQuery(e.target.value)}
          />
        </div>
        <ErrorNotice error={cases.error} />
        <table className="table" aria-label="Cases">
          <thead>
            <tr>
              <th>Reference</th>
              <th>Client</th>
              <th>Attorneys</th>
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
            Showing {cases.data.items.length} of {cases.data.total}: search to narrow.
          </p>
        )}
      </section>
      <section className="panel">
        <h2>Facilities</h2>
        <ErrorNotice error={facilities.error} />
        <ul className="cards">
          {facilities.data?.items.map((f) => (
            <li key={f.id} className="card">
              <strong>{f.name}</strong>
              <span className="muted small">{f.address}</span>
              <span className="small">
                {f.booths} booth{f.booths === 1 ? '' : 's'} · calls up to {f.maxCallMinutes} min · book{' '}
                {Math.round(f.minLeadTimeMinutes / 60)} h ahead
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
