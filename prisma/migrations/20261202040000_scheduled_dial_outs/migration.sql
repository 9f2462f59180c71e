-- Dial-outs waiting for their call to start (issue 13), kept across restarts and nodes.

-- CreateTable
CREATE TABLE "ScheduledDialOut" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "consultationId" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "numberSealed" TEXT NOT NULL,
    "numberEnding" INTEGER NOT NULL,
    "requestedById" UUID NOT NULL,
    "requestedRole" TEXT NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScheduledDialOut_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledDialOut_consultationId_role_key" ON "ScheduledDialOut"("consultationId", "role");

-- CreateIndex
CREATE INDEX "ScheduledDialOut_dueAt_idx" ON "ScheduledDialOut"("dueAt");

-- AddForeignKey
ALTER TABLE "ScheduledDialOut" ADD CONSTRAINT "ScheduledDialOut_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledDialOut" ADD CONSTRAINT "ScheduledDialOut_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: a seat is one of the three a phone may take; the ending is two digits.
ALTER TABLE "ScheduledDialOut"
  ADD CONSTRAINT "ScheduledDialOut_role_check" CHECK ("role" IN ('ATTORNEY', 'INTERPRETER', 'CLIENT')),
  ADD CONSTRAINT "ScheduledDialOut_numberEnding_check" CHECK ("numberEnding" BETWEEN 0 AND 99);
