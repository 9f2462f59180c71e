import { z } from 'zod';

export const CaseListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  status: z.enum(['OPEN', 'CLOSED']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type CaseListQuery = z.infer<typeof CaseListQuerySchema>;

export interface CaseSummary {
  id: string;
  reference: string;
  title: string;
  status: 'OPEN' | 'CLOSED';
  client: { id: string; firstName: string; lastName: string; aNumber: string; preferredLanguage: string };
  facility: { id: string; name: string } | null;
  attorneys: { id: string; name: string }[];
}
