import { DateTime } from 'luxon';

/**
 * RFC 5545 calendar text for a person's consultations. Times are written in the facility's zone
 * (DTSTART;TZID=...) with a VTIMEZONE per zone listing its real UTC-offset changes, so calendar
 * apps show the facility's wall-clock time and stay right across DST changes.
 */

export interface CalendarEntry {
  id: string;
  startsAt: Date;
  endsAt: Date;
  updatedAt: Date;
  timeZone: string;
  summary: string;
  location: string;
  description: string;
  cancelled: boolean;
}

const CRLF = '\r\n';

/** Escapes TEXT values: backslash, semicolon, comma and newlines. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets, never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

function utcStamp(date: Date): string {
  return DateTime.fromJSDate(date, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
}

function localStamp(date: Date | number, zone: string): string {
  const dt =
    typeof date === 'number' ? DateTime.fromMillis(date, { zone }) : DateTime.fromJSDate(date, { zone });
  return dt.toFormat("yyyyMMdd'T'HHmmss");
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

function offsetAt(ms: number, zone: string): number {
  return DateTime.fromMillis(ms, { zone }).offset;
}

/** Instants in [fromMs, toMs) at which the zone's UTC offset changes, to the minute. */
export function offsetTransitions(zone: string, fromMs: number, toMs: number): number[] {
  const HOUR = 3_600_000;
  const found: number[] = [];
  for (let t = fromMs; t < toMs; t += 24 * HOUR) {
    const next = Math.min(t + 24 * HOUR, toMs);
    if (offsetAt(t, zone) === offsetAt(next, zone)) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(mid, zone) === offsetAt(lo, zone)) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  return found;
}

function vtimezone(zone: string, fromMs: number, toMs: number): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const transitions = offsetTransitions(zone, fromMs, toMs);
  if (transitions.length === 0) {
    const offset = formatOffset(offsetAt(fromMs, zone));
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`);
    lines.push('END:STANDARD');
  }
  for (const at of transitions) {
    const before = offsetAt(at - 60_000, zone);
    const after = offsetAt(at, zone);
    const kind = after > before ? 'DAYLIGHT' : 'STANDARD';
    // DTSTART is the local time at the change, read on the clock before it.
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${DateTime.fromMillis(at + before * 60_000, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss")}`,
      `TZOFFSETFROM:${formatOffset(before)}`,
      `TZOFFSETTO:${formatOffset(after)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** The whole calendar as text with CRLF line ends. */
export function renderCalendar(name: string, entries: readonly CalendarEntry[], now: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Parley//Consultation schedule//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
  ];
  const YEAR = 366 * 24 * 3_600_000;
  const zones = new Map<string, { from: number; to: number }>();
  for (const e of entries) {
    const span = zones.get(e.timeZone) ?? { from: Infinity, to: -Infinity };
    span.from = Math.min(span.from, e.startsAt.getTime() - YEAR);
    span.to = Math.max(span.to, e.endsAt.getTime() + YEAR);
    zones.set(e.timeZone, span);
  }
  for (const [zone, span] of [...zones].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(...vtimezone(zone, span.from, span.to));
  }
  for (const e of entries) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.id}@parley`,
      `DTSTAMP:${utcStamp(now)}`,
      `LAST-MODIFIED:${utcStamp(e.updatedAt)}`,
      `SEQUENCE:${Math.floor(e.updatedAt.getTime() / 1000) - 1_700_000_000}`,
      `DTSTART;TZID=${e.timeZone}:${localStamp(e.startsAt, e.timeZone)}`,
      `DTEND;TZID=${e.timeZone}:${localStamp(e.endsAt, e.timeZone)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `LOCATION:${escapeText(e.location)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
