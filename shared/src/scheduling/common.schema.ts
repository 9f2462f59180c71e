import { z } from 'zod';

/** The bounded date vocabulary (time.schema.ts), re-exported where scheduling schemas look for it. */
export { InstantSchema, LocalDateSchema, LocalDateTimeSchema } from '../time.schema.ts';

/** A weekly window in local time: minutes after midnight, weekday 0 = Sunday. */
export const WeeklyWindowSchema = z
  .object({
    weekday: z.number().int().min(0).max(6),
    startMinute: z.number().int().min(0).max(1439),
    endMinute: z.number().int().min(1).max(1440),
  })
  .refine((w) => w.endMinute > w.startMinute, {
    message: 'A window ends after it starts',
    path: ['endMinute'],
  });
export type WeeklyWindowInput = z.infer<typeof WeeklyWindowSchema>;

/** Up to 7×8 windows a week; enough for any facility or interpreter. */
export const WeeklyWindowsSchema = z.array(WeeklyWindowSchema).max(56);

export const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;
