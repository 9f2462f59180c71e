import { z } from 'zod';
import { PhoneNumberSchema } from './people.schema.ts';

/** The facility's scheduling contact, who confirms booked calls. Empty strings: not known yet. */
export const FacilityContactSchema = z
  .object({
    contactName: z.string().trim().max(200),
    contactEmail: z.union([z.literal(''), z.email().max(254).trim().toLowerCase()]),
    contactPhone: z.union([z.literal(''), PhoneNumberSchema]),
    /**
     * Whether bookings wait for this contact's confirmation (REQUESTED until they answer). Left out:
     * unchanged. An organisation turns it off for a facility that takes calls as booked.
     */
    confirmationRequired: z.boolean().optional(),
  })
  .strict();
export type FacilityContact = z.infer<typeof FacilityContactSchema>;
