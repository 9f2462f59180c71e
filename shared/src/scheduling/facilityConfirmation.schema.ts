import { z } from 'zod';
import { InstantSchema } from '../time.schema.ts';
import type { FacilityConfirmationState } from './consultations.schema.ts';

/**
 * The facility's confirmation link carries an unguessable token (256 random bits, base64url); it
 * is sent in the request body, never in a URL the server logs.
 */
export const ConfirmationTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'Not a confirmation link token');

export const FacilityConfirmationLookupSchema = z.object({ token: ConfirmationTokenSchema }).strict();
export type FacilityConfirmationLookup = z.infer<typeof FacilityConfirmationLookupSchema>;

/** The facility's answer through its link: confirm, decline with a reason, or propose another time. */
export const FacilityConfirmationAnswerSchema = z.discriminatedUnion('answer', [
  z.object({ token: ConfirmationTokenSchema, answer: z.literal('CONFIRM') }).strict(),
  z
    .object({
      token: ConfirmationTokenSchema,
      answer: z.literal('DECLINE'),
      reason: z.string().trim().min(3, 'Say why, in a few words').max(500),
    })
    .strict(),
  z
    .object({ token: ConfirmationTokenSchema, answer: z.literal('PROPOSE'), proposedStartsAt: InstantSchema })
    .strict(),
]);
export type FacilityConfirmationAnswer = z.infer<typeof FacilityConfirmationAnswerSchema>;

/** A staff member records the facility's answer given another way (by phone). */
export const StaffConfirmationRequestSchema = z.object({ answer: z.literal('CONFIRM') }).strict();
export type StaffConfirmationRequest = z.infer<typeof StaffConfirmationRequestSchema>;

/**
 * What the facility contact sees through the link: the call, in the facility's zone, and the names
 * the facility needs to bring the right person to the booth. Nothing of the case.
 */
export interface FacilityConfirmationView {
  consultationId: string;
  facility: { name: string; timeZone: string };
  clientName: string;
  aNumber: string;
  attorneyName: string;
  language: string;
  startsAt: string;
  endsAt: string;
  /** The call's status now: a cancelled call needs no answer. */
  status: string;
  confirmation: FacilityConfirmationState;
}
