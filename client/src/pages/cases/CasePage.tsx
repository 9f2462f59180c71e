import { useParams } from 'react-router-dom';
import {
  findLanguage,
  formatANumber,
  type CaseRecord,
  type ConsultationRecord,
  type ConsultationSummary,
} from '@parley/shared';
import { useApi } from '../../api/useApi.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { describeEvent, formatDuration } from './describeEvent.ts';
import { noCallText } from './noCallText.ts';
import { VerifiedCallRecord } from './VerifiedCallRecord.tsx';
import './casePage.css';

const STATUS: Record<ConsultationRecord['status'], string> = {
  REQUESTED: 'Awaiting facility',
  SCHEDULED: 'Scheduled',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
  NO_SHOW: 'No-show',
};

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
  return new Intl.DateTimeFormat('en-US', { timeZone, ...options }).format(new Date(iso));
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

const languageName = (code: string) => findLanguage(code)?.englishName ?? code;

/** A client's case: who they are, their consultations, and what each call's log says happened. */
export function CasePage() {
  const { id } = useParams();
  const { data, error } = useApi<{ record: CaseRecord }>(id ? `/cases/${encodeURIComponent(id)}` : null);
  const record = data?.record;

  return (
    <div className="page">
      <ErrorNotice error={error} />
      {record && (
        <>
          <h1>
            {record.client ? `${record.client.firstName} ${record.client.lastName}` : 'Case'} ·{' '}
            <span className="mono">{record.case.reference}</span>
          </h1>
          <section className="panel" aria-label="Case">
            <p className="small">
              {record.case.title} · {record.case.status === 'OPEN' ? 'Open' : 'Closed'} · Attorneys:{' '}
              {record.case.attorneys.map((a) => a.name).join(', ') || 'none assigned'}
            </p>
            {record.client ? (
              <dl className="facts">
                <dt>A-Number</dt>
                <dd className="mono">{formatANumber(record.client.aNumber)}</dd>
                <dt>Language</dt>
                <dd>{languageName(record.client.preferredLanguage)}</dd>
                <dt>Facility</dt>
                <dd>{record.client.facility?.name ?? 'Unknown'}</dd>
              </dl>
            ) : (
              <p className="muted small">
                You see the summaries of the consultations you interpreted on this case, and nothing else.
              </p>
            )}
          </section>
          <h2>Consultations</h2>
          {record.consultations.length === 0 && <p className="muted">No consultations yet.</p>}
          {record.consultations.map((c) => (
            <ConsultationPanel key={c.id} consultation={c} />
          ))}
        </>
      )}
    </div>
  );
}

function ConsultationPanel({ consultation: c }: { consultation: ConsultationRecord }) {
  const zone = c.facility.timeZone;
  const heading = `${formatInZone(c.startsAt, zone)} · ${STATUS[c.status]}`;
  return (
    <section className="panel consultation" aria-label={`Consultation ${heading}`}>
      <div className="panel-head">
        <h3>{heading}</h3>
        {c.integrity && (
          <span className={`chip ${c.integrity.valid ? 'ok' : 'bad'}`}>
            {c.integrity.valid
              ? `Log intact (${c.integrity.events} events)`
              : `Log altered at event ${c.integrity.firstBrokenSeq}`}
          </span>
        )}
      </div>
      <p className="small muted">
        {c.facility.name} · {languageName(c.language)} · {c.mode.toLowerCase()} · attorney {c.attorney.name} ·
        interpreter {c.interpreter?.name ?? 'none'}
      </p>
      {c.summary.actualStart ? (
        <Summary summary={c.summary} zone={zone} names={c.names} />
      ) : (
        <p className="muted small">{noCallText(c, new Date(), (iso) => formatInZone(iso, zone))}</p>
      )}
      {c.timeline && (
        <>
          <h4>Timeline</h4>
          <ol className="timeline" aria-label="Timeline">
            {c.timeline.map((e) => (
              <li key={e.seq}>
                <time dateTime={e.occurredAt}>
                  {formatInZone(
                    e.occurredAt,
                    zone,
                    sameLocalDay(e.occurredAt, c.startsAt, zone) ? 'time' : 'full',
                  )}
                </time>
                <span>{describeEvent(e, c.names)}</span>
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
}: {
  summary: ConsultationSummary;
  zone: string;
  names: Record<string, string>;
}) {
  const name = (id: string, role: string) => names[id] ?? role.toLowerCase();
  return (
    <div aria-label="Summary">
      <dl className="facts">
        <dt>Started</dt>
        <dd>{s.actualStart ? formatInZone(s.actualStart, zone) : '—'}</dd>
        <dt>Ended</dt>
        <dd>{s.actualEnd ? formatInZone(s.actualEnd, zone) : 'not recorded'}</dd>
        <dt>Duration</dt>
        <dd>{s.durationSeconds === null ? '—' : formatDuration(s.durationSeconds)}</dd>
        <dt>Interpreter minutes</dt>
        <dd>{s.interpreterMinutes}</dd>
        <dt>Reconnections</dt>
        <dd>{s.reconnections}</dd>
        <dt>Worst quality</dt>
        <dd>
          {s.worstQuality
            ? `${name(s.worstQuality.participantId, s.worstQuality.role)}: up to ${s.worstQuality.maxLossPct}% loss, ${s.worstQuality.maxJitterMs} ms jitter, ${s.worstQuality.maxRttMs} ms round trip (${formatInZone(s.worstQuality.from, zone, 'time')}–${formatInZone(s.worstQuality.to, zone, 'time')})`
            : 'no warnings'}
        </dd>
      </dl>
      {!s.complete && (
        <p className="notice error small">The log has no end: times are counted to its last event.</p>
      )}
      <table className="table" aria-label="Time connected">
        <thead>
          <tr>
            <th>Participant</th>
            <th>Connected</th>
            <th>Drops</th>
            <th>Reconnections</th>
          </tr>
        </thead>
        <tbody>
          {s.participants.map((p) => (
            <tr key={p.participantId}>
              <td>
                {name(p.participantId, p.role)} <span className="muted small">({p.role.toLowerCase()})</span>
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
