import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ConsultationView, Page } from '@parley/shared';
import { useServerQuery } from './serverState.ts';
import { ErrorNotice } from '../ErrorNotice.tsx';
import { formatDay, formatTime, zoneAbbreviation } from './zonedTime.ts';

/** How close a start counts as "starting soon". */
const SOON_MS = 60 * 60_000;

/** Something about a call that needs a staff member's attention (a key of `staff:attention`). */
export type Attention =
  'proposed' | 'neverAnswered' | 'notConfirmed' | 'noInterpreter' | 'startingSoon' | 'underWay';

/** What needs a staff member's attention about one upcoming call; empty when nothing does. */
export function attentionOf(c: ConsultationView, now: number): Attention[] {
  const notes: Attention[] = [];
  if (c.status === 'REQUESTED') {
    notes.push(
      c.confirmation?.state === 'PROPOSED'
        ? 'proposed'
        : c.confirmation?.state === 'EXPIRED'
          ? 'neverAnswered'
          : 'notConfirmed',
    );
  }
  if (!c.interpreter) notes.push('noInterpreter');
  const start = Date.parse(c.startsAt);
  if (c.status !== 'IN_PROGRESS' && start > now && start - now <= SOON_MS) notes.push('startingSoon');
  if (c.status === 'IN_PROGRESS') notes.push('underWay');
  return notes;
}

/**
 * Today's and tomorrow's calls across facilities (the browser's days), each with what needs
 * attention, those that need it first.
 */
export function AttentionList() {
  const { t } = useTranslation('staff');
  const [range] = useState(() => {
    const start = new Date();
    start.setHours(0, 0, 0, 0);
    const end = new Date(start);
    end.setDate(end.getDate() + 2);
    return { now: Date.now(), from: start.toISOString(), to: end.toISOString() };
  });
  const calls = useServerQuery<Page<ConsultationView>>(
    `/consultations?status=OPEN&limit=200&from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`,
  );
  const rows = (calls.data?.items ?? [])
    .map((c) => ({ call: c, notes: attentionOf(c, range.now) }))
    .sort(
      (a, b) =>
        Number(b.notes.length > 0) - Number(a.notes.length > 0) ||
        a.call.startsAt.localeCompare(b.call.startsAt),
    );
  return (
    <section className="panel" aria-labelledby="attention-heading">
      <h2 id="attention-heading">{t('attention.heading')}</h2>
      <ErrorNotice error={calls.error} />
      <table className="table" aria-label={t('attention.table')}>
        <thead>
          <tr>
            <th>{t('attention.when')}</th>
            <th>{t('attention.client')}</th>
            <th>{t('attention.facility')}</th>
            <th>{t('attention.needs')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ call, notes }) => {
            const zone = call.facility.timeZone;
            return (
              <tr key={call.id}>
                <td>
                  <Link to={`/consultations/${call.id}`}>
                    {formatDay(call.startsAt, zone)} {formatTime(call.startsAt, zone)}{' '}
                    {zoneAbbreviation(call.startsAt, zone)}
                  </Link>
                </td>
                <td>
                  {call.client.lastName}, {call.client.firstName}
                </td>
                <td>{call.facility.name}</td>
                <td>
                  {notes.length > 0 ? (
                    notes.map((n) => t(`attention.${n}`)).join('; ')
                  ) : (
                    <span className="muted">{t('attention.nothing')}</span>
                  )}
                </td>
              </tr>
            );
          })}
          {calls.data && rows.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t('attention.none')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
