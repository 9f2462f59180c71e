import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import {
  formatANumber,
  type CaseNoteSendResponse,
  type CaseRecord,
  type ConsultationRecord,
  type ConsultationSummary,
} from '@parley/shared';
import { api, ApiError } from '../../api/http.ts';
import { useServerQuery } from '../../components/schedule/serverState.ts';
import { useSession } from '../../api/useSession.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { staffLocale } from '../../components/schedule/zonedTime.ts';
import { caseTimeline } from './caseTimeline.ts';
import { currentLanguageName } from '../../i18n/languageName.ts';
import { describeEvent, formatDuration, type StaffT } from './describeEvent.ts';
import { downloadFile, fetchText } from './download.ts';
import { noCallText } from './noCallText.ts';
import { VerifiedCallRecord } from './VerifiedCallRecord.tsx';
import './casePage.css';

/** A time in the facility's zone, with the zone's abbreviation so nobody has to guess. */
function formatInZone(iso: string, timeZone: string, style: 'full' | 'time' = 'full'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'full'
      ? {
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
          timeZoneName: 'short',
        }
      : { hour: 'numeric', minute: '2-digit', second: '2-digit' };
  const locale = staffLocale() === 'es-ES' ? 'es-ES' : 'en-US';
  return new Intl.DateTimeFormat(locale, { timeZone, ...options }).format(new Date(iso));
}

/** Whether two instants fall on the same calendar day in `timeZone`. */
function sameLocalDay(a: string, b: string, timeZone: string): boolean {
  const day = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return day.format(new Date(a)) === day.format(new Date(b));
}

const languageName = currentLanguageName;

function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('INTERNAL', String(err), 0);
}

/**
 * A client's case: who they are, where they have been held, the case's timeline, its
 * consultations (each with its log, summary and case note), and its exports.
 */
export function CasePage() {
  const { id } = useParams();
  const { t: typedT } = useTranslation('staff');
  const t = typedT as unknown as StaffT;
  const user = useSession();
  const isStaff = user?.role === 'STAFF' || user?.role === 'ADMIN';
  const { data, error } = useServerQuery<{ record: CaseRecord }>(
    id ? `/cases/${encodeURIComponent(id)}` : null,
  );
  // The previous case stays while the next loads: never show it as this one.
  const record = data && data.record.case.id === id ? data.record : undefined;

  return (
    <div className="page">
      <ErrorNotice error={error} />
      {record && (
        <>
          <h1>
            {record.client ? `${record.client.firstName} ${record.client.lastName}` : t('case.title')} ·{' '}
            <span className="mono">{record.case.reference}</span>
          </h1>
          <section className="panel" aria-label={t('case.caseRegion')}>
            <p className="small">
              {record.case.title} · {record.case.status === 'OPEN' ? t('case.open') : t('case.closed')} ·{' '}
              {t('case.attorneys', {
                names: record.case.attorneys.map((a) => a.name).join(', ') || t('case.noAttorneys'),
              })}
            </p>
            {record.client ? (
              <dl className="facts">
                <dt>{t('case.aNumber')}</dt>
                <dd className="mono">{formatANumber(record.client.aNumber)}</dd>
                <dt>{t('case.language')}</dt>
                <dd>{languageName(record.client.preferredLanguage)}</dd>
                <dt>{t('case.facility')}</dt>
                <dd>{record.client.facility?.name ?? t('case.unknownFacility')}</dd>
              </dl>
            ) : (
              <p className="muted small">{t('case.interpretedOnly')}</p>
            )}
          </section>
          {record.access === 'full' && <Transfers record={record} t={t} />}
          {record.access === 'full' && <CaseHistory record={record} t={t} />}
          {isStaff && <CaseExports record={record} t={t} />}
          <h2>{t('case.consultations')}</h2>
          {record.consultations.length === 0 && <p className="muted">{t('case.noConsultations')}</p>}
          {record.consultations.map((c) => (
            <ConsultationPanel key={c.id} consultation={c} t={t} canSend={isStaff} />
          ))}
        </>
      )}
    </div>
  );
}

/** Where the client has been held: every move staff recorded, newest first. */
function Transfers({ record, t }: { record: CaseRecord; t: StaffT }) {
  const zone = record.client?.facility?.timeZone ?? 'America/Chicago';
  return (
    <section className="panel" aria-labelledby="transfers-heading">
      <h2 id="transfers-heading">{t('case.transfersHeading')}</h2>
      {record.transfers.length === 0 ? (
        <p className="muted small">{t('case.noTransfers')}</p>
      ) : (
        <ol className="timeline" aria-label={t('case.transfersList')}>
          {record.transfers.map((transfer) => (
            <li key={transfer.id}>
              <time dateTime={transfer.recordedAt}>{formatInZone(transfer.recordedAt, zone)}</time>
              <span>
                {t('case.transfer', {
                  from: transfer.from?.name ?? t('case.noFacilityOnRecord'),
                  to: transfer.to.name,
                  by: transfer.recordedBy.name,
                })}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The case's story in one list: each call's lifecycle and the client's moves. */
function CaseHistory({ record, t }: { record: CaseRecord; t: StaffT }) {
  const entries = caseTimeline(record);
  const zone = record.client?.facility?.timeZone ?? 'America/Chicago';
  return (
    <section className="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">{t('case.historyHeading')}</h2>
      <p className="muted small">{t('case.historyExplain')}</p>
      {entries.length === 0 ? (
        <p className="muted small">{t('case.noHistory')}</p>
      ) : (
        <ol className="timeline" aria-label={t('case.historyList')}>
          {entries.map((entry) =>
            entry.kind === 'transfer' ? (
              <li key={`t:${entry.transfer.id}`}>
                <time dateTime={entry.at}>{formatInZone(entry.at, zone)}</time>
                <span>
                  {t('case.historyTransfer', {
                    from: entry.transfer.from?.name ?? t('case.noFacilityOnRecord'),
                    to: entry.transfer.to.name,
                  })}
                </span>
              </li>
            ) : (
              <li key={`e:${entry.consultation.id}:${entry.event.seq}`}>
                <time dateTime={entry.at}>
                  {formatInZone(entry.at, entry.consultation.facility.timeZone)}
                </time>
                <span>
                  {t('case.historyEvent', {
                    when: formatInZone(entry.consultation.startsAt, entry.consultation.facility.timeZone),
                    event: describeEvent(entry.event, entry.consultation.names, t),
                  })}
                </span>
              </li>
            ),
          )}
        </ol>
      )}
    </section>
  );
}

/** CSV and JSON of the case's consultations, as files. */
function CaseExports({ record, t }: { record: CaseRecord; t: StaffT }) {
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const download = (format: 'csv' | 'json') => {
    setBusy(true);
    setError(undefined);
    downloadFile(
      `/exports/cases/${record.case.id}/consultations.${format}`,
      `consultations-${record.case.reference}.${format}`,
    )
      .catch((err: unknown) => setError(toApiError(err)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="panel" aria-labelledby="exports-heading">
      <h2 id="exports-heading">{t('case.exportsHeading')}</h2>
      <p className="muted small">{t('case.exportsExplain')}</p>
      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={() => download('csv')}>
          {t('case.downloadCsv')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => download('json')}>
          {t('case.downloadJson')}
        </button>
      </div>
      <ErrorNotice error={error} />
    </section>
  );
}

/** Copy a consultation's case note, or (staff) send it to the case system now. */
function CaseNoteActions({
  consultation,
  canSend,
  t,
}: {
  consultation: ConsultationRecord;
  canSend: boolean;
  t: StaffT;
}) {
  const [message, setMessage] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const finished = ['COMPLETED', 'CANCELLED', 'NO_SHOW'].includes(consultation.status);
  const run = (action: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setMessage('');
    action()
      .then(setMessage)
      .catch((err: unknown) => setError(toApiError(err)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="actions" role="group" aria-label={t('case.caseNote')}>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() =>
          run(async () => {
            const note = await fetchText(`/consultations/${consultation.id}/case-note`);
            await navigator.clipboard.writeText(note);
            return t('case.copied');
          })
        }
      >
        {t('case.copyNote')}
      </button>
      {canSend && finished && (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const sent = await api<CaseNoteSendResponse>(
                `/consultations/${consultation.id}/case-note/send`,
                {
                  method: 'POST',
                },
              );
              return t(`case.sent.${sent.outcome}`);
            })
          }
        >
          {t('case.sendNote')}
        </button>
      )}
      {message && (
        <span role="status" className="small">
          {message}
        </span>
      )}
      <ErrorNotice error={error} />
    </div>
  );
}

function ConsultationPanel({
  consultation: c,
  canSend,
  t,
}: {
  consultation: ConsultationRecord;
  canSend: boolean;
  t: StaffT;
}) {
  const zone = c.facility.timeZone;
  const heading = `${formatInZone(c.startsAt, zone)} · ${t(`case.status.${c.status}`)}`;
  return (
    <section className="panel consultation" aria-label={t('case.consultationRegion', { heading })}>
      <div className="panel-head">
        <h3>{heading}</h3>
        {c.integrity && (
          <span className={`chip ${c.integrity.valid ? 'ok' : 'bad'}`}>
            {c.integrity.valid
              ? t('case.logIntact', { count: c.integrity.events })
              : t('case.logAltered', { seq: c.integrity.firstBrokenSeq })}
          </span>
        )}
      </div>
      <p className="small muted">
        {t('case.line', {
          facility: c.facility.name,
          language: languageName(c.language),
          mode: t(`events.mode.${c.mode}`),
          attorney: c.attorney.name,
          interpreter: c.interpreter?.name ?? t('case.none'),
        })}{' '}
        · <Link to={`/consultations/${c.id}`}>{t('case.openConsultation')}</Link>
      </p>
      {c.summary.actualStart ? (
        <Summary summary={c.summary} zone={zone} names={c.names} t={t} />
      ) : (
        <p className="muted small">{noCallText(c, new Date(), (iso) => formatInZone(iso, zone), t)}</p>
      )}
      {c.timeline && (
        <>
          <CaseNoteActions consultation={c} canSend={canSend} t={t} />
          <h4>{t('case.timeline')}</h4>
          <ol className="timeline" aria-label={t('case.timeline')}>
            {c.timeline.map((e) => (
              <li key={e.seq}>
                <time dateTime={e.occurredAt}>
                  {formatInZone(
                    e.occurredAt,
                    zone,
                    sameLocalDay(e.occurredAt, c.startsAt, zone) ? 'time' : 'full',
                  )}
                </time>
                <span>{describeEvent(e, c.names, t)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {c.integrity && c.status === 'COMPLETED' && <VerifiedCallRecord consultationId={c.id} />}
    </section>
  );
}

function Summary({
  summary: s,
  zone,
  names,
  t,
}: {
  summary: ConsultationSummary;
  zone: string;
  names: Record<string, string>;
  t: StaffT;
}) {
  const name = (id: string, role: string) => names[id] ?? role.toLowerCase();
  return (
    <div aria-label={t('case.summary')}>
      <dl className="facts">
        <dt>{t('case.started')}</dt>
        <dd>{s.actualStart ? formatInZone(s.actualStart, zone) : '—'}</dd>
        <dt>{t('case.ended')}</dt>
        <dd>{s.actualEnd ? formatInZone(s.actualEnd, zone) : t('case.notRecorded')}</dd>
        <dt>{t('case.duration')}</dt>
        <dd>{s.durationSeconds === null ? '—' : formatDuration(s.durationSeconds)}</dd>
        <dt>{t('case.interpreterMinutes')}</dt>
        <dd>{s.interpreterMinutes}</dd>
        <dt>{t('case.reconnections')}</dt>
        <dd>{s.reconnections}</dd>
        <dt>{t('case.worstQuality')}</dt>
        <dd>
          {s.worstQuality
            ? t('case.worstQualityValue', {
                who: name(s.worstQuality.participantId, s.worstQuality.role),
                loss: s.worstQuality.maxLossPct,
                jitter: s.worstQuality.maxJitterMs,
                rtt: s.worstQuality.maxRttMs,
                from: formatInZone(s.worstQuality.from, zone, 'time'),
                to: formatInZone(s.worstQuality.to, zone, 'time'),
              })
            : t('case.noWarnings')}
        </dd>
      </dl>
      {!s.complete && <p className="notice error small">{t('case.noEnd')}</p>}
      <table className="table" aria-label={t('case.timeConnected')}>
        <thead>
          <tr>
            <th>{t('case.participant')}</th>
            <th>{t('case.connected')}</th>
            <th>{t('case.drops')}</th>
            <th>{t('case.reconnections')}</th>
          </tr>
        </thead>
        <tbody>
          {s.participants.map((p) => (
            <tr key={p.participantId}>
              <td>
                {name(p.participantId, p.role)}{' '}
                <span className="muted small">
                  ({t(`events.role.${p.role}`, { defaultValue: p.role.toLowerCase() })})
                </span>
              </td>
              <td>{formatDuration(p.connectedSeconds)}</td>
              <td>{p.drops}</td>
              <td>{p.reconnections}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
