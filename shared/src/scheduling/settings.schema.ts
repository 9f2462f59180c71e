import { z } from 'zod';

/** The booking horizon's bounds: a day at least, ten years at most (a CHECK in the database too). */
export const MIN_BOOKING_HORIZON_DAYS = 1;
export const MAX_BOOKING_HORIZON_DAYS = 3660;
/** What an organisation starts with: calls up to a year ahead. */
export const DEFAULT_BOOKING_HORIZON_DAYS = 365;

/** PUT /api/scheduling/settings: the organisation's scheduling settings (administrators). */
export const SchedulingSettingsRequestSchema = z
  .object({
    /** Calls may start at most this many days after the moment they are booked. */
    bookingHorizonDays: z.number().int().min(MIN_BOOKING_HORIZON_DAYS).max(MAX_BOOKING_HORIZON_DAYS),
  })
  .strict();
export type SchedulingSettingsRequest = z.infer<typeof SchedulingSettingsRequestSchema>;

/** GET /api/scheduling/settings (administrators and staff). */
export interface SchedulingSettingsView {
  bookingHorizonDays: number;
}
