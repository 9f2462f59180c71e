-- CreateEnum
CREATE TYPE "FacilityConfirmationAnswer" AS ENUM ('CONFIRMED', 'DECLINED', 'PROPOSED');

-- AlterEnum
ALTER TYPE "ConsultationStatus" ADD VALUE 'REQUESTED';

-- AlterTable
ALTER TABLE "Facility" ADD COLUMN     "confirmationRequired" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "FacilityConfirmation" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "consultationId" UUID NOT NULL,
    "facilityId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "sentTo" TEXT NOT NULL,
    "linkOrigin" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "remindersSent" INTEGER NOT NULL DEFAULT 0,
    "lastSentAt" TIMESTAMPTZ(3) NOT NULL,
    "answer" "FacilityConfirmationAnswer",
    "answeredAt" TIMESTAMPTZ(3),
    "answeredById" UUID,
    "declineReason" TEXT,
    "proposedStartsAt" TIMESTAMPTZ(3),
    "supersededAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FacilityConfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FacilityConfirmation_tokenHash_key" ON "FacilityConfirmation"("tokenHash");

-- CreateIndex
CREATE INDEX "FacilityConfirmation_consultationId_createdAt_idx" ON "FacilityConfirmation"("consultationId", "createdAt");

-- CreateIndex
CREATE INDEX "FacilityConfirmation_answer_supersededAt_lastSentAt_idx" ON "FacilityConfirmation"("answer", "supersededAt", "lastSentAt");

-- AddForeignKey
ALTER TABLE "FacilityConfirmation" ADD CONSTRAINT "FacilityConfirmation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FacilityConfirmation" ADD CONSTRAINT "FacilityConfirmation_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FacilityConfirmation" ADD CONSTRAINT "FacilityConfirmation_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: an answer's details belong to that answer only, and a request expires after it was made.
ALTER TABLE "FacilityConfirmation"
  ADD CONSTRAINT "FacilityConfirmation_expiry_check" CHECK ("expiresAt" > "createdAt"),
  ADD CONSTRAINT "FacilityConfirmation_reminders_check" CHECK ("remindersSent" >= 0),
  ADD CONSTRAINT "FacilityConfirmation_answer_check" CHECK (("answer" IS NULL) = ("answeredAt" IS NULL)),
  ADD CONSTRAINT "FacilityConfirmation_decline_check" CHECK (("declineReason" IS NOT NULL) = ("answer" IS NOT NULL AND "answer" = 'DECLINED')),
  ADD CONSTRAINT "FacilityConfirmation_proposal_check" CHECK (("proposedStartsAt" IS NOT NULL) = ("answer" IS NOT NULL AND "answer" = 'PROPOSED'));
