import { describe, expect, it } from 'vitest';
import {
  escapeText,
  foldLine,
  offsetTransitions,
  renderCalendar,
  type CalendarEntry,
} from './icsCalendar.ts';

const entry = (patch: Partial<CalendarEntry> = {}): CalendarEntry => ({
  id: 'c1',
  startsAt: new Date('2026-03-09T13:00:00Z'),
  endsAt: new Date('2026-03-09T14:00:00Z'),
  updatedAt: new Date('2026-03-01T00:00:00Z'),
  timeZone: 'America/Chicago',
  summary: 'Consultation GS-2026-0101 (Spanish)',
  location: 'Adams County Correctional Center, Natchez',
  description: 'Interpreter: Lucía Ramírez',
  cancelled: false,
  ...patch,
});

describe('ics calendar', () => {
  it('writes the facility’s wall-clock time with its zone, across the DST change', () => {
    const text = renderCalendar(
      'Grace Okafor',
      [
        entry(),
        entry({
          id: 'c2',
          startsAt: new Date('2026-03-06T14:00:00Z'),
          endsAt: new Date('2026-03-06T15:00:00Z'),
        }),
      ],
      new Date('2026-03-01T00:00:00Z'),
    );
    expect(text).toContain('DTSTART;TZID=America/Chicago:20260309T080000\r\n');
    expect(text).toContain('DTSTART;TZID=America/Chicago:20260306T080000\r\n');
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:America/Chicago\r\n');
    // The 2026 spring-forward change at 02:00 CST and fall-back at 02:00 CDT.
    expect(text).toContain(
      'BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0600\r\nTZOFFSETTO:-0500',
    );
    expect(text).toContain(
      'BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0600',
    );
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('gives a zone without DST one fixed offset', () => {
    const text = renderCalendar('x', [entry({ timeZone: 'America/Phoenix' })], new Date());
    expect(text).toContain(
      'TZID:America/Phoenix\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0700',
    );
    expect(text).toContain('DTSTART;TZID=America/Phoenix:20260309T060000');
  });

  it('marks cancelled calls so subscribed calendars remove them', () => {
    expect(renderCalendar('x', [entry({ cancelled: true })], new Date())).toContain('STATUS:CANCELLED');
  });

  it('escapes text and folds long lines at 75 octets without splitting characters', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const folded = foldLine(`DESCRIPTION:${'é'.repeat(80)}`);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(`DESCRIPTION:${'é'.repeat(80)}`);
  });

  it('finds both 2026 offset changes in Chicago', () => {
    const changes = offsetTransitions(
      'America/Chicago',
      Date.parse('2026-01-01T00:00Z'),
      Date.parse('2027-01-01T00:00Z'),
    );
    expect(changes.map((t) => new Date(t).toISOString())).toEqual([
      '2026-03-08T08:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });
});
