import { z } from 'zod';
import type { ErrorCode } from '../errors.ts';
import { LANGUAGE_CODES, type LanguageCode } from '../languages.ts';
import { SuggestionQuerySchema } from './suggestions.schema.ts';

/**
 * Further interpreters of a booking (issue 17). RELAY: an interpreter of English and a pivot
 * language (usually Spanish) for a client whose language has few English interpreters (K'iche',
 * Mam, Q'anjob'al): the consultation's own interpreter then covers the pivot and the client's
 * language, and the call runs client → pivot → English and back. PARTNER: a booth partner who
 * takes turns with the interpreter named in `partnerOf` (default the consultation's own), covering
 * the same pair.
 */
export const AddInterpreterRequestSchema = z
  .object({
    interpreterId: z.uuid(),
    kind: z.enum(['RELAY', 'PARTNER']),
    /** RELAY only: the language between English and the client's. */
    pivotLanguage: z.enum(LANGUAGE_CODES).optional(),
    /** PARTNER only: whose booth partner (an interpreter of the booking); default its own interpreter. */
    partnerOf: z.uuid().optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.kind === 'RELAY' && !input.pivotLanguage)
      ctx.addIssue({ code: 'custom', message: 'A relay needs its pivot language', path: ['pivotLanguage'] });
    if (input.kind === 'RELAY' && input.pivotLanguage === 'en')
      ctx.addIssue({ code: 'custom', message: 'The pivot is not English', path: ['pivotLanguage'] });
    if (input.kind === 'PARTNER' && input.pivotLanguage)
      ctx.addIssue({ code: 'custom', message: 'Only a relay has a pivot', path: ['pivotLanguage'] });
    if (input.kind === 'RELAY' && input.partnerOf)
      ctx.addIssue({ code: 'custom', message: 'Only a booth partner has a partner', path: ['partnerOf'] });
  });
export type AddInterpreterRequest = z.infer<typeof AddInterpreterRequestSchema>;

/** An interpreter of a booking with the pair they cover. */
export interface BookedInterpreterView {
  interpreterId: string;
  name: string;
  pair: [LanguageCode, LanguageCode];
  /** FIRST: the consultation's own interpreter; RELAY or PARTNER: a further one. */
  kind: 'FIRST' | 'RELAY' | 'PARTNER';
}

export interface BookedInterpretersResponse {
  consultationId: string;
  interpreters: BookedInterpreterView[];
}

/** Slots where a relay pair is free together: the client-language interpreter and the English one. */
export const RelaySuggestionQuerySchema = SuggestionQuerySchema.extend({
  pivotLanguage: z.enum(LANGUAGE_CODES).refine((l) => l !== 'en', 'The pivot is not English'),
});
export type RelaySuggestionQuery = z.infer<typeof RelaySuggestionQuerySchema>;

export interface RelayPairView {
  /** Covers the client's language and the pivot: the consultation's own interpreter. */
  interpreter: { id: string; name: string };
  /** Covers the pivot and English: the relay. */
  relay: { id: string; name: string };
  /** Both interpreters' minutes already booked in the facility's week, together. */
  bookedMinutesThisWeek: number;
}

export interface RelaySuggestionResponse {
  facility: { id: string; name: string; timeZone: string };
  date: string;
  language: string;
  pivotLanguage: string;
  slots: { startsAt: string; endsAt: string; pairs: RelayPairView[] }[];
  dayRefusal: { code: ErrorCode; message: string } | null;
}
