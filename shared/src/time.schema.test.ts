import { describe, expect, it } from 'vitest';
import {
  InstantSchema,
  LocalDateSchema,
  LocalDateTimeSchema,
  LocalTimeSchema,
  TimeZoneSchema,
} from './time.schema.ts';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('the bounded date vocabulary', () => {
  it('instants: from 2000-01-01T00:00Z (inclusive) to 2100-01-01T00:00Z (exclusive), offset required', () => {
    expect(ok(InstantSchema, '2000-01-01T00:00:00Z')).toBe(true);
    expect(ok(InstantSchema, '2099-12-31T23:59:59.999Z')).toBe(true);
    expect(ok(InstantSchema, '2026-03-09T08:00:00-05:00')).toBe(true);
    expect(ok(InstantSchema, '1999-12-31T23:59:59.999Z')).toBe(false);
    expect(ok(InstantSchema, '2100-01-01T00:00:00Z')).toBe(false);
    // In range by its digits, out of range in UTC.
    expect(ok(InstantSchema, '2099-12-31T23:00:00-05:00')).toBe(false);
    expect(ok(InstantSchema, '2000-01-01T01:00:00+02:00')).toBe(false);
    expect(ok(InstantSchema, '0000-01-01T00:00:00Z')).toBe(false);
    expect(ok(InstantSchema, '9999-12-31T23:59:59Z')).toBe(false);
    expect(ok(InstantSchema, '2026-03-09T13:00:00')).toBe(false);
    expect(ok(InstantSchema, '2026-02-30T13:00:00Z')).toBe(false);
  });

  it('local dates: real calendar days from 2000-01-01 to 2099-12-31', () => {
    expect(ok(LocalDateSchema, '2000-01-01')).toBe(true);
    expect(ok(LocalDateSchema, '2099-12-31')).toBe(true);
    expect(ok(LocalDateSchema, '2028-02-29')).toBe(true);
    expect(ok(LocalDateSchema, '1999-12-31')).toBe(false);
    expect(ok(LocalDateSchema, '2100-01-01')).toBe(false);
    expect(ok(LocalDateSchema, '0000-01-01')).toBe(false);
    expect(ok(LocalDateSchema, '9999-12-31')).toBe(false);
    expect(ok(LocalDateSchema, '2026-02-29')).toBe(false);
    expect(ok(LocalDateSchema, '2026-1-5')).toBe(false);
  });

  it('local date-times: the same dates, any time of day', () => {
    expect(ok(LocalDateTimeSchema, '2000-01-01T00:00')).toBe(true);
    expect(ok(LocalDateTimeSchema, '2099-12-31T23:59')).toBe(true);
    expect(ok(LocalDateTimeSchema, '9999-12-31T23:00')).toBe(false);
    expect(ok(LocalDateTimeSchema, '0000-01-01T00:00')).toBe(false);
    expect(ok(LocalDateTimeSchema, '2100-01-01T00:00')).toBe(false);
    expect(ok(LocalDateTimeSchema, '2026-03-09T24:00')).toBe(false);
    expect(ok(LocalDateTimeSchema, '2026-03-09T12:60')).toBe(false);
    expect(ok(LocalDateTimeSchema, '2026-03-09T12:00:00')).toBe(false);
  });

  it('local times: HH:mm from 00:00 to 23:59', () => {
    expect(ok(LocalTimeSchema, '00:00')).toBe(true);
    expect(ok(LocalTimeSchema, '23:59')).toBe(true);
    expect(ok(LocalTimeSchema, '24:00')).toBe(false);
    expect(ok(LocalTimeSchema, '9:00')).toBe(false);
  });

  it('time zones: IANA names only', () => {
    expect(ok(TimeZoneSchema, 'America/Chicago')).toBe(true);
    expect(ok(TimeZoneSchema, 'UTC')).toBe(true);
    expect(ok(TimeZoneSchema, 'Mars/Olympus_Mons')).toBe(false);
    expect(ok(TimeZoneSchema, '+05:00')).toBe(false);
    expect(ok(TimeZoneSchema, '')).toBe(false);
    expect(ok(TimeZoneSchema, 'A'.repeat(65))).toBe(false);
    expect(ok(TimeZoneSchema, 42)).toBe(false);
  });
});
