import { z } from 'zod';
import { LANGUAGE_CODES, type LanguageCode } from '../languages.ts';
import { InstantSchema } from '../time.schema.ts';

/**
 * REQUESTED: booked, holding its booth and people, waiting for the facility to confirm; not on the
 * kiosk and not joinable. SCHEDULED: confirmed (or at a facility that needs no confirmation).
 */
export const CONSULTATION_STATUSES = [
  'REQUESTED',
  'SCHEDULED',
  'IN_PROGRESS',
  'COMPLETED',
  'CANCELLED',
  'NO_SHOW',
] as const;
export const ConsultationStatusSchema = z.enum(CONSULTATION_STATUSES);
export type ConsultationStatus = z.infer<typeof ConsultationStatusSchema>;

export const InterpretationModeSchema = z.enum(['CONSECUTIVE', 'SIMULTANEOUS']);
export type InterpretationMode = z.infer<typeof InterpretationModeSchema>;

const DurationSchema = z.number().int().min(5).max(480);

/**
 * Books a call on a case. The client comes from the case; the facility defaults to the client's
 * current facility. A refusal is a 409 whose `code` is the first rule broken and whose `details`
 * list every broken rule as `{ path: <ErrorCode>, message }`.
 */
export const BookConsultationRequestSchema = z
  .object({
    caseId: z.uuid(),
    attorneyId: z.uuid(),
    interpreterId: z.uuid().nullable().default(null),
    facilityId: z.uuid().optional(),
    language: z.enum(LANGUAGE_CODES),
    mode: InterpretationModeSchema.default('CONSECUTIVE'),
    startsAt: InstantSchema,
    durationMinutes: DurationSchema,
    /**
     * A relay (issue 17): client language → pivot → English. `interpreterId` then covers the
     * client's language and the pivot, and this interpreter the pivot and English. Both must be free
     * and available for the whole call; refusals carry the booking rules' codes.
     */
    relay: z
      .object({ interpreterId: z.uuid(), pivotLanguage: z.enum(LANGUAGE_CODES) })
      .strict()
      .optional(),
  })
  .superRefine((input, ctx) => {
    if (!input.relay) return;
    const issue = (message: string, path: string[]) => ctx.addIssue({ code: 'custom', message, path });
    if (!input.interpreterId) issue('A relay needs the call’s own interpreter too', ['interpreterId']);
    if (input.relay.interpreterId === input.interpreterId)
      issue('The relay is another interpreter than the call’s own', ['relay', 'interpreterId']);
    if (input.relay.pivotLanguage === 'en') issue('The pivot is not English', ['relay', 'pivotLanguage']);
    if (input.relay.pivotLanguage === input.language)
      issue('The pivot is another language than the client’s', ['relay', 'pivotLanguage']);
    if (input.language === 'en') issue('A call in English needs no relay', ['relay']);
  });
export type BookConsultationRequest = z.infer<typeof BookConsultationRequestSchema>;

/** Moves a call; omitted fields keep their value. */
export const RescheduleConsultationRequestSchema = z.object({
  startsAt: InstantSchema,
  durationMinutes: DurationSchema.optional(),
  interpreterId: z.uuid().nullable().optional(),
  reason: z.string().trim().max(500).optional(),
});
export type RescheduleConsultationRequest = z.infer<typeof RescheduleConsultationRequestSchema>;

export const CancelConsultationRequestSchema = z.object({
  reason: z.string().trim().min(3, 'Say why, in a few words').max(500),
});
export type CancelConsultationRequest = z.infer<typeof CancelConsultationRequestSchema>;

export const ConsultationListQuerySchema = z.object({
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  facilityId: z.uuid().optional(),
  attorneyId: z.uuid().optional(),
  interpreterId: z.uuid().optional(),
  caseId: z.uuid().optional(),
  /** A status, or OPEN for the calls still ahead or under way (REQUESTED, SCHEDULED, IN_PROGRESS). */
  status: z.union([ConsultationStatusSchema, z.literal('OPEN')]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ConsultationListQuery = z.infer<typeof ConsultationListQuerySchema>;

export interface ConsultationView {
  id: string;
  case: { id: string; reference: string };
  client: { id: string; firstName: string; lastName: string };
  facility: { id: string; name: string; code: string; timeZone: string };
  attorney: { id: string; name: string };
  interpreter: { id: string; name: string } | null;
  /** Relay interpreters and booth partners beside `interpreter` (issue 17); absent from older servers. */
  furtherInterpreters?: FurtherInterpreterSummary[];
  language: string;
  mode: InterpretationMode;
  startsAt: string;
  endsAt: string;
  status: ConsultationStatus;
  /** Staff and the consultation's attorney see it; it lets the client in at the kiosk. */
  kioskPin: string | null;
  cancelReason: string | null;
  /** The facility's answer to the latest confirmation request; null when none was asked. */
  confirmation: FacilityConfirmationState | null;
}

/** A further interpreter of a call (issue 17): a relay through a pivot language, or a booth partner. */
export interface FurtherInterpreterSummary {
  id: string;
  name: string;
  pair: [LanguageCode, LanguageCode];
  kind: 'RELAY' | 'PARTNER';
}

export const FACILITY_CONFIRMATION_STATES = [
  'PENDING',
  'CONFIRMED',
  'DECLINED',
  'PROPOSED',
  'EXPIRED',
] as const;
export type FacilityConfirmationStateName = (typeof FACILITY_CONFIRMATION_STATES)[number];

/** Where the facility's confirmation of a call stands, as staff see it. */
export interface FacilityConfirmationState {
  state: FacilityConfirmationStateName;
  /** Where the link went; empty when the facility has no contact email (staff confirm by phone). */
  sentTo: string;
  requestedAt: string;
  expiresAt: string;
  remindersSent: number;
  answeredAt: string | null;
  /** The facility's own words when it declined. */
  declineReason: string | null;
  /** The time the facility proposed instead. */
  proposedStartsAt: string | null;
  /** A staff member recorded the answer (a phone call) rather than the facility through its link. */
  recordedByStaff: boolean;
}
