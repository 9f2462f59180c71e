-- Rules Prisma's schema language cannot express; each is listed as "CHECK:" beside its model in
-- schema.prisma. Written by hand: Prisma ignores CHECK constraints when it diffs, so they never
-- show up as drift and never get dropped by a generated migration.

-- User: an attorney carries a bar number, an interpreter at least one language.
-- A Prisma scalar list column is nullable, hence the coalesce.
ALTER TABLE "User"
  ADD CONSTRAINT "User_attorney_bar_number_check"
    CHECK ("role" <> 'ATTORNEY' OR ("barNumber" IS NOT NULL AND btrim("barNumber") <> '')),
  ADD CONSTRAINT "User_interpreter_languages_check"
    CHECK ("role" <> 'INTERPRETER' OR coalesce(cardinality("languages"), 0) >= 1);

-- Facility: booking limits that must stay meaningful.
ALTER TABLE "Facility"
  ADD CONSTRAINT "Facility_booths_check" CHECK ("booths" > 0),
  ADD CONSTRAINT "Facility_minLeadTimeMinutes_check" CHECK ("minLeadTimeMinutes" >= 0),
  ADD CONSTRAINT "Facility_maxCallMinutes_check" CHECK ("maxCallMinutes" BETWEEN 5 AND 480),
  ADD CONSTRAINT "Facility_dailyLimitPerAttorneyClient_check" CHECK ("dailyLimitPerAttorneyClient" >= 1);

-- Weekly windows: minutes after local midnight on weekday 0 (Sunday) .. 6.
ALTER TABLE "VisitingWindow"
  ADD CONSTRAINT "VisitingWindow_weekday_check" CHECK ("weekday" BETWEEN 0 AND 6),
  ADD CONSTRAINT "VisitingWindow_minutes_check"
    CHECK (0 <= "startMinute" AND "startMinute" < "endMinute" AND "endMinute" <= 1440);

ALTER TABLE "InterpreterAvailability"
  ADD CONSTRAINT "InterpreterAvailability_weekday_check" CHECK ("weekday" BETWEEN 0 AND 6),
  ADD CONSTRAINT "InterpreterAvailability_minutes_check"
    CHECK (0 <= "startMinute" AND "startMinute" < "endMinute" AND "endMinute" <= 1440);

ALTER TABLE "InterpreterAvailabilityException"
  ADD CONSTRAINT "InterpreterAvailabilityException_period_check" CHECK ("endsAt" > "startsAt");

-- Client: the A-Number is exactly nine digits (CHAR(9) alone would accept a shorter value and
-- pad it with spaces).
ALTER TABLE "Client"
  ADD CONSTRAINT "Client_aNumber_check" CHECK ("aNumber" ~ '^[0-9]{9}$');

-- Consultation: a real time span and a six-digit kiosk PIN.
ALTER TABLE "Consultation"
  ADD CONSTRAINT "Consultation_period_check" CHECK ("endsAt" > "startsAt"),
  ADD CONSTRAINT "Consultation_kioskPin_check" CHECK ("kioskPin" ~ '^[0-9]{6}$');
