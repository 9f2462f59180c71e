import { z } from 'zod';
import type { ErrorCode } from '../errors.ts';
import { LANGUAGE_CODES } from '../languages.ts';
import { LocalDateSchema } from '../time.schema.ts';

/** Open slots for a case on one facility-local day. */
export const SuggestionQuerySchema = z.object({
  caseId: z.uuid(),
  attorneyId: z.uuid(),
  date: LocalDateSchema,
  facilityId: z.uuid().optional(),
  language: z.enum(LANGUAGE_CODES).optional(),
  durationMinutes: z.coerce.number().int().min(5).max(480).default(60),
  stepMinutes: z.coerce
    .number()
    .int()
    .refine((n) => [15, 30, 60].includes(n), 'One of 15, 30, 60')
    .default(30),
  /** When rescheduling: the consultation being moved. */
  consultationId: z.uuid().optional(),
});
export type SuggestionQuery = z.infer<typeof SuggestionQuerySchema>;

export interface SuggestedSlotView {
  startsAt: string;
  endsAt: string;
  interpreters: { id: string; name: string; bookedMinutesThisWeek: number }[];
}

export interface SuggestionResponse {
  facility: { id: string; name: string; timeZone: string };
  date: string;
  language: string;
  slots: SuggestedSlotView[];
  dayRefusal: { code: ErrorCode; message: string } | null;
}
