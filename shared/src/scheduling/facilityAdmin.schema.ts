import { z } from 'zod';
import { LocalDateSchema, TimeZoneSchema } from '../time.schema.ts';
import type { FacilitySummary } from '../facilities.schema.ts';
import { WeeklyWindowsSchema, type WeeklyWindowInput } from './common.schema.ts';

const FacilityFields = {
  name: z.string().trim().min(1, 'Required').max(200),
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9-]{2,20}$/, '2–20 letters, digits or dashes'),
  address: z.string().trim().max(300),
  timeZone: TimeZoneSchema,
  booths: z.number().int().min(1).max(50),
  /** ICE's virtual attorney visitation asks 24 h; up to 30 days. */
  minLeadTimeMinutes: z
    .number()
    .int()
    .min(0)
    .max(30 * 24 * 60),
  maxCallMinutes: z.number().int().min(5).max(480),
  dailyLimitPerAttorneyClient: z.number().int().min(1).max(20),
  windows: WeeklyWindowsSchema,
};

export const CreateFacilityRequestSchema = z.object({
  ...FacilityFields,
  address: FacilityFields.address.default(''),
  windows: FacilityFields.windows.default([]),
});
export type CreateFacilityRequest = z.infer<typeof CreateFacilityRequestSchema>;

/** Partial update; `windows`, when present, replaces the whole weekly set. */
export const UpdateFacilityRequestSchema = z
  .object(FacilityFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Nothing to change' });
export type UpdateFacilityRequest = z.infer<typeof UpdateFacilityRequestSchema>;

export const CreateBlackoutRequestSchema = z.object({
  date: LocalDateSchema,
  reason: z.string().trim().min(1, 'Required').max(200),
});
export type CreateBlackoutRequest = z.infer<typeof CreateBlackoutRequestSchema>;

export const CreateKioskDeviceRequestSchema = z.object({
  label: z.string().trim().min(1, 'Required').max(100),
});
export type CreateKioskDeviceRequest = z.infer<typeof CreateKioskDeviceRequestSchema>;

/** PATCH /api/facilities/:id/kiosk-devices/:childId: a new label for a device still in use. */
export const RenameKioskDeviceRequestSchema = CreateKioskDeviceRequestSchema.strict();
export type RenameKioskDeviceRequest = z.infer<typeof RenameKioskDeviceRequestSchema>;

export const FacilityChildParamsSchema = z.object({ id: z.uuid(), childId: z.uuid() });

export interface KioskDeviceView {
  id: string;
  label: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface BlackoutView {
  id: string;
  date: string;
  reason: string;
}

export interface FacilityDetail extends FacilitySummary {
  windows: WeeklyWindowInput[];
  blackouts: BlackoutView[];
  kioskDevices: KioskDeviceView[];
}

/** Returned once when a kiosk device is registered: the credential is never shown again. */
export interface KioskDeviceCreated {
  device: KioskDeviceView;
  credential: string;
}
