import { Link } from 'react-router-dom';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONSULTATION_STATUSES,
  type ConsultationStatus,
  type ConsultationView,
  type FacilitySummary,
  type Page,
} from '@parley/shared';
import { useServerQuery } from './serverState.ts';
import { useLanguageName } from '../../i18n/languageName.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { Pager } from '../Pager.tsx';
import { formatDay, formatTime, zoneAbbreviation } from './zonedTime.ts';

const PAGE_SIZE = 10;

/**
 * Upcoming consultations with filters and pages. The server narrows attorneys and interpreters to
 * their own calls; staff open a call's page to reschedule or cancel it.
 */
/** Calls open 15 minutes before their start (the server decides; this only shows the button). */
function isJoinable(c: ConsultationView): boolean {
  const now = Date.now();
  return (
    (c.status === 'SCHEDULED' || c.status === 'IN_PROGRESS') &&
    now >= new Date(c.startsAt).getTime() - 15 * 60_000 &&
    now < new Date(c.endsAt).getTime()
  );
}

export function ConsultationList({ title, canCancel }: { title: string; canCancel: boolean }) {
  const { t } = useTranslation('staff');
  const languageName = useLanguageName();
  const [status, setStatus] = useState<ConsultationStatus | 'OPEN' | ''>('OPEN');
  const [facilityId, setFacilityId] = useState('');
  const [offset, setOffset] = useState(0);
  const [from] = useState(() => new Date(Date.now() - 86_400_000).toISOString());
  const facilities = useServerQuery<{ items: FacilitySummary[] }>('/facilities');
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset), from });
  if (status) params.set('status', status);
  if (facilityId) params.set('facilityId', facilityId);
  const list = useServerQuery<Page<ConsultationView>>(`/consultations?${params.toString()}`);

  return (
    <section className="panel" aria-labelledby="list-heading">
      <div className="panel-head">
        <h2 id="list-heading">{title}</h2>
        <div className="form-row">
          <select
            aria-label={t('list.status')}
            className="search"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as ConsultationStatus | 'OPEN' | '');
              setOffset(0);
            }}
          >
            <option value="OPEN">{t('list.open')}</option>
            <option value="">{t('list.anyStatus')}</option>
            {CONSULTATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`case.status.${s}`)}
              </option>
            ))}
          </select>
          <select
            aria-label={t('list.facilityFilter')}
            className="search"
            value={facilityId}
            onChange={(e) => {
              setFacilityId(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">{t('list.allFacilities')}</option>
            {facilities.data?.items.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={list.error} />
      <table className="table" aria-label={title}>
        <thead>
          <tr>
            <th>{t('list.when')}</th>
            <th>{t('list.facility')}</th>
            <th>{t('list.case')}</th>
            <th>{t('list.attorney')}</th>
            <th>{t('list.interpreter')}</th>
            <th>{t('list.language')}</th>
            <th>{t('list.statusColumn')}</th>
            <th>{t('list.kioskPin')}</th>
            {canCancel && <th />}
          </tr>
        </thead>
        <tbody>
          {list.data?.items.map((c) => (
            <tr key={c.id}>
              <td>
                {formatDay(c.startsAt, c.facility.timeZone)} {formatTime(c.startsAt, c.facility.timeZone)}–
                {formatTime(c.endsAt, c.facility.timeZone)}{' '}
                {zoneAbbreviation(c.startsAt, c.facility.timeZone)}
              </td>
              <td>{c.facility.name}</td>
              <td>
                {c.case.reference} · {c.client.lastName}, {c.client.firstName}
              </td>
              <td>{c.attorney.name}</td>
              <td>
                {[
                  c.interpreter?.name ?? '—',
                  // Relay interpreters and booth partners with their role (issue 17).
                  ...(c.furtherInterpreters ?? []).map((f) =>
                    t('interpreters.inList', { name: f.name, role: t(`interpreters.kind.${f.kind}`) }),
                  ),
                ].join(', ')}
              </td>
              <td>{languageName(c.language)}</td>
              <td>
                {t(`case.status.${c.status}`)}
                {isJoinable(c) && (
                  <>
                    {' '}
                    <Link className="button primary" to={`/calls/${c.id}`}>
                      {t('list.join')}
                    </Link>
                  </>
                )}
              </td>
              <td className="mono">{c.kioskPin ?? '—'}</td>
              {canCancel && (
                <td>
                  {(c.status === 'SCHEDULED' || c.status === 'REQUESTED') && (
                    // Reschedule and cancel (with a reason that stays) on the consultation's page.
                    <Link className="button ghost" to={`/consultations/${c.id}`}>
                      {t('list.change')}
                    </Link>
                  )}
                </td>
              )}
            </tr>
          ))}
          {list.data?.items.length === 0 && (
            <tr>
              <td colSpan={canCancel ? 9 : 8} className="muted">
                {t('list.none')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {list.data && <Pager total={list.data.total} limit={PAGE_SIZE} offset={offset} onChange={setOffset} />}
    </section>
  );
}
