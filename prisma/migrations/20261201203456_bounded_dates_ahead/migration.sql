-- Hand-written migration: Prisma cannot derive this SQL from schema.prisma.
--
-- Issue 11: consultations and blackout days written from now on stay within the API's dates
-- (2000–2099; in UTC a call may end up to a day later in the facility's zone), whatever writes
-- them. Rows already stored are left alone: a consultation is a legal record, and one booked in
-- year 9999 before the booking horizon existed is for a person to cancel, not for a migration to
-- rewrite. So the consultation's rule is a trigger on writes of its times — cancelling such a
-- call (a status change) still works — rather than a CHECK, which PostgreSQL re-checks on any
-- update of the row.
CREATE FUNCTION "Consultation_range_check"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."startsAt" < TIMESTAMPTZ '1999-12-31 00:00:00+00'
     OR NEW."endsAt" >= TIMESTAMPTZ '2100-01-02 00:00:00+00' THEN
    RAISE EXCEPTION 'Consultation_range_check: a consultation lies within 2000-2099'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Consultation_range_check"
  BEFORE INSERT OR UPDATE OF "startsAt", "endsAt" ON "Consultation"
  FOR EACH ROW EXECUTE FUNCTION "Consultation_range_check"();

-- A blackout is only ever added or removed, so a CHECK does; NOT VALID keeps stored rows.
ALTER TABLE "FacilityBlackout"
  ADD CONSTRAINT "FacilityBlackout_date_range_check"
    CHECK ("date" >= DATE '2000-01-01' AND "date" < DATE '2100-01-01') NOT VALID;
