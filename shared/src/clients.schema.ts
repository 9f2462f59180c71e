import { z } from 'zod';
import { LANGUAGE_CODES } from './languages.ts';

/**
 * A-Number as people write it ("A-012-345-678", "A012345678", "12345678") normalised to the 9
 * digits stored. Older 8-digit numbers are padded with a leading zero, as USCIS does.
 */
export const ANumberSchema = z
  .string()
  .trim()
  .transform((raw) => raw.replace(/^A/i, '').replace(/[\s-]/g, ''))
  .refine((digits) => /^[0-9]{8,9}$/.test(digits), {
    message: 'An A-Number has 9 digits, e.g. A-012-345-678',
  })
  .transform((digits) => digits.padStart(9, '0'));

const NameSchema = z.string().trim().min(1, 'Required').max(100);

export const CreateClientRequestSchema = z.object({
  firstName: NameSchema,
  lastName: NameSchema,
  aNumber: ANumberSchema,
  preferredLanguage: z.enum(LANGUAGE_CODES),
  facilityId: z.uuid().nullable().optional(),
});
export type CreateClientRequest = z.infer<typeof CreateClientRequestSchema>;

export const ClientListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  facilityId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ClientListQuery = z.infer<typeof ClientListQuerySchema>;

export interface ClientSummary {
  id: string;
  firstName: string;
  lastName: string;
  aNumber: string;
  preferredLanguage: string;
  facility: { id: string; name: string } | null;
  openCases: number;
}

/** Formats a stored 9-digit A-Number for people: A-012-345-678. */
export function formatANumber(digits: string): string {
  return `A-${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
}

/**
 * POST /api/clients/:id/transfers: the client was moved to another facility. The client's calls
 * still to come at the old facility are cancelled (reason CLIENT_TRANSFERRED); staff rebook them at
 * the new one. `consultationId` names the call the move was noticed on, when there is one.
 */
export const ClientTransferRequestSchema = z
  .object({
    toFacilityId: z.uuid(),
    consultationId: z.uuid().optional(),
  })
  .strict();
export type ClientTransferRequest = z.infer<typeof ClientTransferRequestSchema>;

/** One move of a client between facilities, as recorded by staff. */
export interface ClientTransferView {
  id: string;
  clientId: string;
  from: { id: string; name: string } | null;
  to: { id: string; name: string };
  recordedAt: string;
  recordedBy: { id: string; name: string };
}

/** The answer to a transfer: the move, and the calls it cancelled (ids; to rebook at `to`). */
export interface ClientTransferResponse {
  transfer: ClientTransferView;
  cancelledConsultationIds: string[];
}
