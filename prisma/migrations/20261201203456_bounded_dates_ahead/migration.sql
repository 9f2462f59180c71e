-- Hand-written migration: Prisma cannot derive this SQL from schema.prisma.
--
-- Issue 11: consultations and blackout days stay within the API's dates (2000–2099; in UTC a
-- call may end up to a day later in the facility's zone), whatever writes them. NOT VALID: the
-- constraints hold for every row written from now on, and leave rows already stored alone — a
-- consultation is a legal record, and one booked in year 9999 before the booking horizon existed
-- is for a person to cancel, not for a migration to rewrite.
ALTER TABLE "Consultation"
  ADD CONSTRAINT "Consultation_range_check"
    CHECK ("startsAt" >= TIMESTAMPTZ '1999-12-31 00:00:00+00'
       AND "endsAt" < TIMESTAMPTZ '2100-01-02 00:00:00+00') NOT VALID;

ALTER TABLE "FacilityBlackout"
  ADD CONSTRAINT "FacilityBlackout_date_range_check"
    CHECK ("date" >= DATE '2000-01-01' AND "date" < DATE '2100-01-01') NOT VALID;
