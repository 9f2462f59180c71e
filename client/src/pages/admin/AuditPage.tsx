import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import {
  ADMIN_AUDIT_ACTIONS,
  type AdminUserView,
  type AuditEntry,
  type AuditKind,
  type Page,
} from '@parley/shared';
import { accessToken, ApiError } from '../../api/http.ts';
import { useFreshApiQuery } from '../../api/apiQueries.ts';
import { useServerQuery } from '../../components/schedule/serverState.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Pager } from '../../components/Pager.tsx';
import { AdminNav, formatDateTime } from './adminWidgets.tsx';
import { auditActionText, CASE_ACCESS_ACTIONS } from './adminCodes.ts';

const PAGE_SIZE = 50;
const PEOPLE_CHOICES = 20;

function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([key]) => key !== 'label')
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');
}

export function AuditPage() {
  const { t } = useTranslation('admin');
  const [kind, setKind] = useState<AuditKind>('ALL');
  const [action, setAction] = useState('');
  const [actorId, setActorId] = useState('');
  const [personSearch, setPersonSearch] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const [exportError, setExportError] = useState<ApiError | undefined>();
  const filters = new URLSearchParams({ kind });
  if (action) filters.set('action', action);
  if (actorId) filters.set('actorId', actorId);
  if (from) filters.set('from', from);
  if (to) filters.set('to', to);
  const params = new URLSearchParams(filters);
  params.set('limit', String(PAGE_SIZE));
  params.set('offset', String(offset));
  const entries = useFreshApiQuery<Page<AuditEntry>>(`/admin/audit?${params.toString()}`);
  // The person filter: whoever matches the search (name or email), twenty at a time, searched on the server.
  const personQuery = new URLSearchParams({ limit: String(PEOPLE_CHOICES), status: 'ALL' });
  if (personSearch.trim()) personQuery.set('q', personSearch.trim());
  const people = useServerQuery<Page<AdminUserView>>(`/users?${personQuery.toString()}`);
  const [chosenPerson, setChosenPerson] = useState<AdminUserView | null>(null);
  const personChoices = [
    ...(chosenPerson && !people.data?.items.some((p) => p.id === chosenPerson.id) ? [chosenPerson] : []),
    ...(people.data?.items ?? []),
  ];

  async function exportCsv() {
    setExportError(undefined);
    const response = await fetch(`/api/admin/audit.csv?${filters.toString()}`, {
      headers: { Authorization: `Bearer ${accessToken() ?? ''}` },
    });
    if (!response.ok) {
      setExportError(new ApiError('INTERNAL', `The export failed (${response.status})`, response.status));
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = 'parley-audit.csv';
    link.click();
    URL.revokeObjectURL(url);
  }

  const reset = () => setOffset(0);

  return (
    <div className="page">
      <AdminNav />
      <h1>{t('audit.title')}</h1>
      <p className="lede">{t('audit.lede')}</p>
      <section className="panel">
        <div className="form-row">
          <label className="field">
            <span>{t('audit.kind')}</span>
            <select
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as AuditKind);
                setAction('');
                reset();
              }}
            >
              <option value="ALL">{t('audit.all')}</option>
              <option value="CASE_ACCESS">{t('audit.caseAccess')}</option>
              <option value="ADMIN">{t('audit.admin')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('audit.action')}</span>
            <select
              value={action}
              onChange={(e) => {
                setAction(e.target.value);
                reset();
              }}
            >
              <option value="">{t('audit.anyAction')}</option>
              {(kind === 'ADMIN' ? [] : CASE_ACCESS_ACTIONS).map((a) => (
                <option key={a} value={a}>
                  {auditActionText(t, a)}
                </option>
              ))}
              {(kind === 'CASE_ACCESS' ? [] : ADMIN_AUDIT_ACTIONS).map((a) => (
                <option key={a} value={a}>
                  {auditActionText(t, a)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('audit.findPerson')}</span>
            <input
              type="search"
              value={personSearch}
              placeholder={t('audit.findPersonHint')}
              onChange={(e) => setPersonSearch(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t('audit.person')}</span>
            <select
              value={actorId}
              onChange={(e) => {
                setActorId(e.target.value);
                setChosenPerson(personChoices.find((p) => p.id === e.target.value) ?? null);
                reset();
              }}
            >
              <option value="">{t('audit.anyone')}</option>
              {personChoices.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.name} ({person.email})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('audit.from')}</span>
            <input
              type="date"
              value={from}
              onChange={(e) => {
                setFrom(e.target.value);
                reset();
              }}
            />
          </label>
          <label className="field">
            <span>{t('audit.to')}</span>
            <input
              type="date"
              value={to}
              onChange={(e) => {
                setTo(e.target.value);
                reset();
              }}
            />
          </label>
          <button type="button" className="button" onClick={() => void exportCsv()}>
            {t('audit.export')}
          </button>
        </div>
        <ErrorNotice error={entries.error ?? exportError} />
        {entries.data?.items.length === 0 && <p>{t('audit.empty')}</p>}
        <table className="table" aria-label={t('audit.title')}>
          <thead>
            <tr>
              <th>{t('audit.when')}</th>
              <th>{t('audit.who')}</th>
              <th>{t('audit.what')}</th>
              <th>{t('audit.target')}</th>
              <th>{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.data?.items.map((entry) => (
              <tr key={`${entry.kind}-${entry.id}`}>
                <td>{formatDateTime(entry.occurredAt)}</td>
                <td>{entry.actor ? `${entry.actor.name} (${entry.actor.email})` : t('audit.system')}</td>
                {/* The code stays at hand (the CSV export has it) for whoever searches the log by it. */}
                <td title={entry.action}>{auditActionText(t, entry.action)}</td>
                <td>{entry.target}</td>
                <td className="small">{describeDetails(entry.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {entries.data && (
          <Pager total={entries.data.total} limit={PAGE_SIZE} offset={offset} onChange={setOffset} />
        )}
      </section>
    </div>
  );
}
