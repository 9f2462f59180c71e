import { describe, expect, it } from 'vitest';
import { summarizeConsultation } from '../sessionLog/summarizeConsultation.ts';
import { caseNoteDate, formatCaseNote, type CaseNoteFacts } from './caseNote.ts';

const ATTORNEY = '8b2d1e4f-0a9c-4b7d-8e6f-5a4b3c2d1e0f';
const INTERPRETER = '1c2b3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const CONSULTATION = '3f0c9a52-6a55-4d3e-9a61-1c2b3d4e5f60';
const CLIENT = `client:${CONSULTATION}`;

/** A call on `day` at 15:00 UTC, ending 40 minutes later, with one drop. */
function facts(day: string): CaseNoteFacts {
  const t = (m: number) => new Date(Date.parse(`${day}T15:00:00Z`) + m * 60_000);
  const summary = summarizeConsultation([
    { type: 'CALL_STARTED', occurredAt: t(0), payload: { mode: 'CONSECUTIVE' } },
    {
      type: 'PARTICIPANT_JOINED',
      occurredAt: t(0),
      payload: { participantId: ATTORNEY, role: 'ATTORNEY', device: 'BROWSER' },
    },
    {
      type: 'PARTICIPANT_JOINED',
      occurredAt: t(1),
      payload: { participantId: INTERPRETER, role: 'INTERPRETER', device: 'PHONE' },
    },
    {
      type: 'PARTICIPANT_JOINED',
      occurredAt: t(2),
      payload: { participantId: CLIENT, role: 'CLIENT', device: 'KIOSK' },
    },
    {
      type: 'PARTICIPANT_LEFT',
      occurredAt: t(10),
      payload: { participantId: CLIENT, role: 'CLIENT', reason: 'CONNECTION_LOST' },
    },
    {
      type: 'PARTICIPANT_RECONNECTED',
      occurredAt: t(11),
      payload: { participantId: CLIENT, role: 'CLIENT', offlineMs: 60_000 },
    },
    {
      type: 'QUALITY_WARNING',
      occurredAt: t(12),
      payload: { participantId: CLIENT, role: 'CLIENT', lossPct: 8, jitterMs: 45, rttMs: 420 },
    },
    { type: 'CALL_ENDED', occurredAt: t(40), payload: { reason: 'ENDED_BY_ATTORNEY' } },
  ]);
  return {
    case: { reference: 'GS-2026-0101', title: 'Asylum (I-589)' },
    client: { firstName: 'María José', lastName: 'Hernández López' },
    facility: { name: 'Adams County Detention Center', timeZone: 'America/Chicago' },
    consultation: {
      id: CONSULTATION,
      startsAt: t(0),
      endsAt: t(60),
      status: 'COMPLETED',
      language: 'es',
      mode: 'CONSECUTIVE',
    },
    attorney: { name: 'Grace Okafor' },
    interpreter: { name: 'Lucía Ramírez' },
    names: {
      [ATTORNEY]: 'Grace Okafor',
      [INTERPRETER]: 'Lucía Ramírez',
      [CLIENT]: 'María José Hernández López',
    },
    summary,
    integrity: {
      consultationId: CONSULTATION,
      valid: true,
      events: 8,
      headHash: 'ab'.repeat(32),
      firstBrokenSeq: null,
      problem: null,
    },
  };
}

describe('formatCaseNote', () => {
  it('writes the call in the facility’s zone, with participants, minutes and connection problems', () => {
    expect(formatCaseNote(facts('2026-03-06'))).toBe(
      [
        'Remote legal consultation (Spanish interpretation), 6 Mar 2026',
        '',
        'Case: GS-2026-0101 (Asylum (I-589))',
        'Client: María José Hernández López',
        'Facility: Adams County Detention Center',
        'Booked: Friday 6 March 2026, 9:00 AM CST to 10:00 AM CST',
        'Status: Completed',
        'Language: Spanish, consecutive interpretation',
        'Attorney: Grace Okafor',
        'Interpreter: Lucía Ramírez',
        'Call: 9:00 AM CST to 9:40 AM CST (40 min)',
        '',
        'Participants:',
        '- Grace Okafor (attorney): connected 40 min',
        '- Lucía Ramírez (interpreter): connected 39 min',
        '- María José Hernández López (client): connected 37 min',
        '',
        'Interpreter minutes: 39',
        'Connection problems: 1 drop, 1 reconnection, 1 quality warning',
        'Worst connection: María José Hernández López (client), 9:12 AM CST to 9:12 AM CST: up to 8% packet loss, 45 ms jitter, 420 ms round trip',
        '',
        `Session log: 8 events, hash chain intact (${'ab'.repeat(8)}).`,
        `Parley consultation ${CONSULTATION}`,
        '',
      ].join('\n'),
    );
  });

  it('follows daylight saving time: the same UTC hour is 10:00 CDT after the change', () => {
    const note = formatCaseNote(facts('2026-03-09'));
    expect(note).toContain('Booked: Monday 9 March 2026, 10:00 AM CDT to 11:00 AM CDT');
    expect(caseNoteDate(facts('2026-03-09'))).toBe('2026-03-09');
  });

  it('files a late-evening call under the facility’s date, not UTC’s', () => {
    const late = facts('2026-03-09');
    late.consultation.startsAt = new Date('2026-03-10T03:30:00Z');
    late.summary = { ...late.summary, actualStart: null };
    expect(caseNoteDate(late)).toBe('2026-03-09');
  });

  it('says so when the log has been altered or the call never happened', () => {
    const broken = facts('2026-03-06');
    broken.integrity = { ...broken.integrity, valid: false, firstBrokenSeq: 4, problem: 'HASH_MISMATCH' };
    broken.summary = summarizeConsultation([]);
    const note = formatCaseNote(broken);
    expect(note).toContain('Call: did not take place');
    expect(note).toContain('WARNING, the hash chain is broken at event 4');
  });
});
