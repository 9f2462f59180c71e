-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "kioskShowInitials" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "KioskPrompt" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "language" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "audio" BYTEA NOT NULL,
    "uploadedById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "KioskPrompt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KioskPrompt_organizationId_language_prompt_key" ON "KioskPrompt"("organizationId", "language", "prompt");

-- AddForeignKey
ALTER TABLE "KioskPrompt" ADD CONSTRAINT "KioskPrompt_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A prompt is a short spoken sentence: at most 1 MiB, never empty (the API checks the same).
ALTER TABLE "KioskPrompt" ADD CONSTRAINT "KioskPrompt_audio_size" CHECK (octet_length("audio") BETWEEN 1 AND 1048576);
