import { z } from 'zod';
import { LocalDateTimeSchema, TimeZoneSchema } from '../time.schema.ts';
import { WeeklyWindowsSchema, type WeeklyWindowInput } from './common.schema.ts';

/** Replaces the interpreter's weekly availability, stated in `timeZone` (their own zone). */
export const UpdateWeeklyAvailabilityRequestSchema = z.object({
  timeZone: TimeZoneSchema,
  weekly: WeeklyWindowsSchema,
});
export type UpdateWeeklyAvailabilityRequest = z.infer<typeof UpdateWeeklyAvailabilityRequestSchema>;

/** A one-off change in the interpreter's own zone; the server stores it in UTC. */
export const CreateAvailabilityExceptionRequestSchema = z
  .object({
    startsAtLocal: LocalDateTimeSchema,
    endsAtLocal: LocalDateTimeSchema,
    available: z.boolean(),
    note: z.string().trim().max(200).default(''),
  })
  .refine((e) => e.endsAtLocal > e.startsAtLocal, { message: 'Ends after it starts', path: ['endsAtLocal'] });
export type CreateAvailabilityExceptionRequest = z.infer<typeof CreateAvailabilityExceptionRequestSchema>;

export interface AvailabilityExceptionView {
  id: string;
  startsAt: string;
  endsAt: string;
  /** The same instants in the interpreter's zone, as they entered them. */
  startsAtLocal: string;
  endsAtLocal: string;
  available: boolean;
  note: string;
}

export interface AvailabilityView {
  timeZone: string;
  weekly: WeeklyWindowInput[];
  exceptions: AvailabilityExceptionView[];
}
