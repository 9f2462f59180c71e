-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sessionsRevokedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "AttemptThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStartedAt" TIMESTAMPTZ(3) NOT NULL,
    "lockedUntil" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AttemptThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "CallAttestation" (
    "consultationId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "keyId" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CallAttestation_pkey" PRIMARY KEY ("consultationId")
);

-- CreateIndex
CREATE INDEX "CallAttestation_organizationId_createdAt_idx" ON "CallAttestation"("organizationId", "createdAt");

-- AddForeignKey
ALTER TABLE "CallAttestation" ADD CONSTRAINT "CallAttestation_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written below. A call's attestation is evidence, like the session log it seals: the
-- database refuses to change or remove it once stored (see session_log_integrity).
-- ---------------------------------------------------------------------------------------------

CREATE TRIGGER "CallAttestation_append_only"
  BEFORE UPDATE OR DELETE ON "CallAttestation"
  FOR EACH ROW EXECUTE FUNCTION "parley_refuse_append_only_change"();
CREATE TRIGGER "CallAttestation_no_truncate"
  BEFORE TRUNCATE ON "CallAttestation"
  FOR EACH STATEMENT EXECUTE FUNCTION "parley_refuse_append_only_change"();

ALTER TABLE "User" ADD CONSTRAINT "User_sessionVersion_check" CHECK ("sessionVersion" >= 0);
ALTER TABLE "AttemptThrottle" ADD CONSTRAINT "AttemptThrottle_failures_check" CHECK ("failures" >= 0);
