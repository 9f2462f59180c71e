-- Further interpreters of a consultation (issue 17): relay through a pivot language, booth partners.

-- CreateTable
CREATE TABLE "ConsultationInterpreter" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "consultationId" UUID NOT NULL,
    "interpreterId" UUID NOT NULL,
    "languageA" TEXT NOT NULL,
    "languageB" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsultationInterpreter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsultationInterpreter_consultationId_interpreterId_key" ON "ConsultationInterpreter"("consultationId", "interpreterId");

-- CreateIndex
CREATE INDEX "ConsultationInterpreter_interpreterId_idx" ON "ConsultationInterpreter"("interpreterId");

-- AddForeignKey
ALTER TABLE "ConsultationInterpreter" ADD CONSTRAINT "ConsultationInterpreter_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationInterpreter" ADD CONSTRAINT "ConsultationInterpreter_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationInterpreter" ADD CONSTRAINT "ConsultationInterpreter_interpreterId_fkey" FOREIGN KEY ("interpreterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: a pair is two different languages.
ALTER TABLE "ConsultationInterpreter"
  ADD CONSTRAINT "ConsultationInterpreter_pair_check" CHECK ("languageA" <> "languageB");
