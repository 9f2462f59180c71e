-- Hand-written migration: Prisma cannot derive this SQL from schema.prisma.
--
-- Issue 11. The API takes dates from 2000-01-01 up to (not including) 2100-01-01, in the zone they
-- are stated in; in UTC that is [1999-12-31, 2100-01-02) whatever the zone (UTC-12 to UTC+14).
--
-- Repair: an availability exception entered for year 9999 was stored (its local time became year
-- 10000 in UTC, which the app cannot read back), and every later read or write of that
-- interpreter's availability failed. Such rows are DELETED, not clamped: the request that stored
-- them answered 500, so the interpreter was never told they were saved, and a clamped date (say
-- 2099-12-31) would be a change of availability nobody asked for. Deleting puts the interpreter's
-- availability back as it was before the failed request.
DELETE FROM "InterpreterAvailabilityException"
 WHERE "startsAt" < TIMESTAMPTZ '1999-12-31 00:00:00+00'
    OR "endsAt" >= TIMESTAMPTZ '2100-01-02 00:00:00+00';

-- And never again, whatever path writes the row.
ALTER TABLE "InterpreterAvailabilityException"
  ADD CONSTRAINT "InterpreterAvailabilityException_range_check"
    CHECK ("startsAt" >= TIMESTAMPTZ '1999-12-31 00:00:00+00'
       AND "endsAt" < TIMESTAMPTZ '2100-01-02 00:00:00+00');

-- The booking horizon is a day at least and ten years at most.
ALTER TABLE "Organization"
  ADD CONSTRAINT "Organization_bookingHorizonDays_check" CHECK ("bookingHorizonDays" BETWEEN 1 AND 3660);
