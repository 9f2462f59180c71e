import {
  findLanguage,
  type ChainVerification,
  type ConsultationStatus,
  type ConsultationSummary,
  type InterpretationMode,
} from '@parley/shared';
import { DateTime } from 'luxon';

/** Everything a case note says. Metadata only: nothing said in the call is known to Parley. */
export interface CaseNoteFacts {
  case: { reference: string; title: string };
  client: { firstName: string; lastName: string };
  facility: { name: string; timeZone: string };
  consultation: {
    id: string;
    startsAt: Date;
    endsAt: Date;
    status: ConsultationStatus;
    language: string;
    mode: InterpretationMode;
  };
  attorney: { name: string };
  interpreter: { name: string } | null;
  /** Display names by participant id (see ConsultationRecord.names). */
  names: Record<string, string>;
  summary: ConsultationSummary;
  integrity: ChainVerification;
}

const STATUS: Record<ConsultationStatus, string> = {
  REQUESTED: 'Requested, awaiting the facility’s confirmation',
  SCHEDULED: 'Scheduled',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
  NO_SHOW: 'Client did not appear (no-show)',
};

const ROLE: Record<string, string> = {
  ATTORNEY: 'attorney',
  INTERPRETER: 'interpreter',
  CLIENT: 'client',
  STAFF: 'facility staff',
};

function local(at: Date | string, zone: string, format: string): string {
  const dt = typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at);
  return dt.setZone(zone).toFormat(format);
}

function minutesText(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The note's date in the facility's zone, as case management systems file it (YYYY-MM-DD). */
export function caseNoteDate(facts: CaseNoteFacts): string {
  return local(
    facts.summary.actualStart ?? facts.consultation.startsAt,
    facts.facility.timeZone,
    'yyyy-MM-dd',
  );
}

export function caseNoteSubject(facts: CaseNoteFacts): string {
  const language = findLanguage(facts.consultation.language)?.englishName ?? facts.consultation.language;
  const day = local(facts.consultation.startsAt, facts.facility.timeZone, 'd LLL yyyy');
  return `Remote legal consultation (${language} interpretation), ${day}`;
}

/**
 * A consultation as plain text, ready to paste into a case management system. Times are in the
 * facility's zone, which is where the client was.
 */
export function formatCaseNote(facts: CaseNoteFacts): string {
  const zone = facts.facility.timeZone;
  const c = facts.consultation;
  const s = facts.summary;
  const time = (at: Date | string) => local(at, zone, 'h:mm a ZZZZ');
  const language = findLanguage(c.language)?.englishName ?? c.language;
  const lines = [
    caseNoteSubject(facts),
    '',
    `Case: ${facts.case.reference} (${facts.case.title})`,
    `Client: ${facts.client.firstName} ${facts.client.lastName}`,
    `Facility: ${facts.facility.name}`,
    `Booked: ${local(c.startsAt, zone, 'cccc d LLLL yyyy')}, ${time(c.startsAt)} to ${time(c.endsAt)}`,
    `Status: ${STATUS[c.status]}`,
    `Language: ${language}, ${c.mode.toLowerCase()} interpretation`,
    `Attorney: ${facts.attorney.name}`,
    `Interpreter: ${facts.interpreter?.name ?? 'none booked'}`,
  ];
  if (s.actualStart) {
    lines.push(
      `Call: ${time(s.actualStart)} to ${s.actualEnd ? time(s.actualEnd) : 'no end recorded'}` +
        (s.durationSeconds === null ? '' : ` (${minutesText(s.durationSeconds)})`),
      '',
      'Participants:',
      ...s.participants.map(
        (p) =>
          `- ${facts.names[p.participantId] ?? ROLE[p.role] ?? p.role} (${ROLE[p.role] ?? p.role}): connected ${minutesText(p.connectedSeconds)}`,
      ),
      '',
      `Interpreter minutes: ${s.interpreterMinutes}`,
    );
    const problems =
      s.drops === 0 && s.reconnections === 0 && s.qualityWarnings === 0
        ? 'none recorded'
        : `${plural(s.drops, 'drop')}, ${plural(s.reconnections, 'reconnection')}, ${plural(s.qualityWarnings, 'quality warning')}`;
    lines.push(`Connection problems: ${problems}`);
    if (s.worstQuality) {
      const w = s.worstQuality;
      lines.push(
        `Worst connection: ${facts.names[w.participantId] ?? ROLE[w.role]} (${ROLE[w.role] ?? w.role}), ` +
          `${time(w.from)} to ${time(w.to)}: up to ${w.maxLossPct}% packet loss, ${w.maxJitterMs} ms jitter, ${w.maxRttMs} ms round trip`,
      );
    }
  } else {
    lines.push('Call: did not take place');
  }
  lines.push(
    '',
    facts.integrity.valid
      ? `Session log: ${plural(facts.integrity.events, 'event')}, hash chain intact (${facts.integrity.headHash?.slice(0, 16) ?? 'empty'}).`
      : `Session log: WARNING, the hash chain is broken at event ${facts.integrity.firstBrokenSeq}; the log may have been altered.`,
    `Parley consultation ${c.id}`,
  );
  return `${lines.join('\n')}\n`;
}
