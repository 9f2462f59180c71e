import { z } from 'zod';

export const IdSchema = z.uuid();
export const IdParamsSchema = z.object({ id: IdSchema });

/** Offset pagination for lists people page through; `total` lets the screen say "1–25 of 212". */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** IANA time zone name, checked against the runtime's zone database. */
export const TimeZoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'Unknown time zone (use an IANA name such as America/Chicago)' },
);
