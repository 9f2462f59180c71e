-- CreateTable
CREATE TABLE "ClientTransfer" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "clientId" UUID NOT NULL,
    "fromFacilityId" UUID,
    "toFacilityId" UUID NOT NULL,
    "recordedById" UUID NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClientTransfer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ClientTransfer_clientId_recordedAt_idx" ON "ClientTransfer"("clientId", "recordedAt");

-- CreateIndex
CREATE INDEX "ClientTransfer_organizationId_recordedAt_idx" ON "ClientTransfer"("organizationId", "recordedAt");

-- AddForeignKey
ALTER TABLE "ClientTransfer" ADD CONSTRAINT "ClientTransfer_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientTransfer" ADD CONSTRAINT "ClientTransfer_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientTransfer" ADD CONSTRAINT "ClientTransfer_fromFacilityId_fkey" FOREIGN KEY ("fromFacilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientTransfer" ADD CONSTRAINT "ClientTransfer_toFacilityId_fkey" FOREIGN KEY ("toFacilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientTransfer" ADD CONSTRAINT "ClientTransfer_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: a transfer goes somewhere else, and once recorded it stays as it was (the case's
-- history of where the client was held).
ALTER TABLE "ClientTransfer"
  ADD CONSTRAINT "ClientTransfer_facilities_check" CHECK ("fromFacilityId" IS NULL OR "fromFacilityId" <> "toFacilityId");

CREATE TRIGGER "ClientTransfer_append_only"
  BEFORE UPDATE OR DELETE ON "ClientTransfer"
  FOR EACH ROW EXECUTE FUNCTION "parley_refuse_append_only_change"();
CREATE TRIGGER "ClientTransfer_no_truncate"
  BEFORE TRUNCATE ON "ClientTransfer"
  FOR EACH STATEMENT EXECUTE FUNCTION "parley_refuse_append_only_change"();
