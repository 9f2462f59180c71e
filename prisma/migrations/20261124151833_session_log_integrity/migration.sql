-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "CaseAccessLog" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "action" TEXT NOT NULL,
    "accessedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseAccessLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "endpointId" UUID NOT NULL,
    "consultationId" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "lastAttemptAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CaseAccessLog_caseId_accessedAt_idx" ON "CaseAccessLog"("caseId", "accessedAt");

-- CreateIndex
CREATE INDEX "CaseAccessLog_organizationId_accessedAt_idx" ON "CaseAccessLog"("organizationId", "accessedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEndpoint_organizationId_key" ON "WebhookEndpoint"("organizationId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_organizationId_createdAt_idx" ON "WebhookDelivery"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_endpointId_consultationId_event_key" ON "WebhookDelivery"("endpointId", "consultationId", "event");

-- AddForeignKey
ALTER TABLE "CaseAccessLog" ADD CONSTRAINT "CaseAccessLog_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseAccessLog" ADD CONSTRAINT "CaseAccessLog_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseAccessLog" ADD CONSTRAINT "CaseAccessLog_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written below: append-only logs. Prisma cannot express triggers and ignores them when it
-- diffs, so they never show up as drift. The application only ever INSERTs into these tables;
-- the database refuses everything else, so neither a bug nor a stray query can rewrite history.
-- (Dropping a whole test database is unaffected: DROP DATABASE fires no triggers.)
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION "parley_refuse_append_only_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "SessionEvent_append_only"
  BEFORE UPDATE OR DELETE ON "SessionEvent"
  FOR EACH ROW EXECUTE FUNCTION "parley_refuse_append_only_change"();
CREATE TRIGGER "SessionEvent_no_truncate"
  BEFORE TRUNCATE ON "SessionEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "parley_refuse_append_only_change"();

CREATE TRIGGER "CaseAccessLog_append_only"
  BEFORE UPDATE OR DELETE ON "CaseAccessLog"
  FOR EACH ROW EXECUTE FUNCTION "parley_refuse_append_only_change"();
CREATE TRIGGER "CaseAccessLog_no_truncate"
  BEFORE TRUNCATE ON "CaseAccessLog"
  FOR EACH STATEMENT EXECUTE FUNCTION "parley_refuse_append_only_change"();

-- SessionEvent: a chain link is a positive sequence number and two SHA-256 hex digests.
ALTER TABLE "SessionEvent"
  ADD CONSTRAINT "SessionEvent_seq_check" CHECK ("seq" >= 1),
  ADD CONSTRAINT "SessionEvent_hash_check" CHECK ("hash" ~ '^[0-9a-f]{64}$' AND "prevHash" ~ '^[0-9a-f]{64}$');

-- CaseAccessLog: the reads that are logged.
ALTER TABLE "CaseAccessLog"
  ADD CONSTRAINT "CaseAccessLog_action_check" CHECK ("action" IN ('CASE_RECORD', 'CASE_NOTE'));

-- WebhookDelivery: attempts only count up from zero.
ALTER TABLE "WebhookDelivery"
  ADD CONSTRAINT "WebhookDelivery_attempts_check" CHECK ("attempts" >= 0);
