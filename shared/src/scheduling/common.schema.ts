import { z } from 'zod';

/** A local calendar date, YYYY-MM-DD, that exists (no 2026-02-30). */
export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'Not a calendar date');

/** An instant with an explicit offset or Z, e.g. 2026-03-09T13:00:00Z. */
export const InstantSchema = z.iso.datetime({ offset: true });

/** A wall-clock date and time without offset (YYYY-MM-DDTHH:mm), read in a stated zone. */
export const LocalDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Use YYYY-MM-DDTHH:mm')
  .refine((value) => LocalDateSchema.safeParse(value.slice(0, 10)).success, 'Not a calendar date')
  .refine((value) => Number(value.slice(11, 13)) < 24 && Number(value.slice(14, 16)) < 60, 'Not a time');

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
