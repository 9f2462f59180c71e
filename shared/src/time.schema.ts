import { z } from 'zod';

/**
 * The one date and time vocabulary of the API. Every date a person can send is bounded to
 * [2000-01-01, 2100-01-01): PostgreSQL refuses year 0000, year 9999 in a local zone becomes year
 * 10000 in UTC (which neither JavaScript's ISO output nor luxon can write), and no consultation,
 * blackout or availability change of a detention visit lies outside this century anyway. The
 * bounds are the same for instants (in UTC), local dates and local date-times (in their own zone).
 */

/** First date the API accepts (inclusive). */
export const EARLIEST_DATE = '2000-01-01';
/** First date the API no longer accepts (exclusive): the last accepted day is 2099-12-31. */
export const LATEST_DATE_EXCLUSIVE = '2100-01-01';
/** The same bounds as instants in UTC, in milliseconds since the epoch. */
export const EARLIEST_INSTANT_MS = Date.UTC(2000, 0, 1);
export const LATEST_INSTANT_EXCLUSIVE_MS = Date.UTC(2100, 0, 1);

const OUT_OF_RANGE = `Use a date from ${EARLIEST_DATE} up to (not including) ${LATEST_DATE_EXCLUSIVE}`;

/** Whether a UTC instant (ms) lies in [2000-01-01T00:00Z, 2100-01-01T00:00Z). */
export function isInstantInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_INSTANT_MS && ms < LATEST_INSTANT_EXCLUSIVE_MS;
}

/** Whether a YYYY-MM-DD string (already well formed) lies in [2000-01-01, 2100-01-01). */
function isDateInRange(isoDate: string): boolean {
  return isoDate >= EARLIEST_DATE && isoDate < LATEST_DATE_EXCLUSIVE;
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A local calendar date, YYYY-MM-DD, that exists (no 2026-02-30), in [2000-01-01, 2100-01-01). */
export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD')
  .refine(isCalendarDate, 'Not a calendar date')
  .refine(isDateInRange, OUT_OF_RANGE);

/** A local wall-clock time, HH:mm (00:00–23:59). */
export const LocalTimeSchema = z
  .string()
  .regex(/^\d{2}:\d{2}$/, 'Use HH:mm')
  .refine((value) => Number(value.slice(0, 2)) < 24 && Number(value.slice(3, 5)) < 60, 'Not a time');

/**
 * A wall-clock date and time without offset (YYYY-MM-DDTHH:mm), read in a stated zone; its date
 * in [2000-01-01, 2100-01-01), so it stays a valid instant in any zone.
 */
export const LocalDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Use YYYY-MM-DDTHH:mm')
  .refine((value) => isCalendarDate(value.slice(0, 10)), 'Not a calendar date')
  .refine((value) => LocalTimeSchema.safeParse(value.slice(11)).success, 'Not a time')
  .refine((value) => isDateInRange(value.slice(0, 10)), OUT_OF_RANGE);

/** An instant with an explicit offset or Z, e.g. 2026-03-09T13:00:00Z, in [2000, 2100) UTC. */
export const InstantSchema = z.iso
  .datetime({ offset: true })
  .refine((value) => isInstantInRange(Date.parse(value)), OUT_OF_RANGE);

/** IANA time zone name (America/Chicago), checked against the runtime's zone database. */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      // Offsets such as +05:00 are not zones: they ignore daylight saving time.
      if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'Unknown time zone (use an IANA name such as America/Chicago)' },
  );
