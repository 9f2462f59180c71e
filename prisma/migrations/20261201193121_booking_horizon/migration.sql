-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "bookingHorizonDays" INTEGER NOT NULL DEFAULT 365;
