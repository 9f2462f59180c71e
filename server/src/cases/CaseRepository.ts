import type { CaseListQuery, CaseSummary, Page } from '@parley/shared';
import type { Db } from '../db/types.ts';

const caseSummarySelect = {
  id: true,
  reference: true,
  title: true,
  status: true,
  client: {
    select: {
      id: true,
      firstName: true,
      lastName: true,
      preferredLanguage: true,
      facility: { select: { id: true, name: true } },
    },
  },
  attorneys: {
    select: { attorney: { select: { id: true, name: true } } },
    orderBy: { assignedAt: 'asc' as const },
  },
} as const;

interface CaseRow {
  id: string;
  reference: string;
  title: string;
  status: 'OPEN' | 'CLOSED';
  client: {
    id: string;
    firstName: string;
    lastName: string;
    preferredLanguage: string;
    facility: { id: string; name: string } | null;
  };
  attorneys: { attorney: { id: string; name: string } }[];
}

function toSummary(row: CaseRow): CaseSummary {
  const { facility, ...client } = row.client;
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    status: row.status,
    client,
    facility,
    attorneys: row.attorneys.map((a) => a.attorney),
  };
}

export class CaseRepository {
  constructor(private readonly db: Db) {}

  /** Cases of the organisation; `attorneyId` narrows to the cases that attorney is assigned to. */
  async list(organizationId: string, query: CaseListQuery, attorneyId?: string): Promise<Page<CaseSummary>> {
    const q = query.q;
    const where = {
      organizationId,
      ...(query.status ? { status: query.status } : {}),
      ...(attorneyId ? { attorneys: { some: { attorneyId } } } : {}),
      ...(q
        ? {
            OR: [
              { reference: { contains: q, mode: 'insensitive' as const } },
              { client: { lastName: { contains: q, mode: 'insensitive' as const } } },
              { client: { firstName: { contains: q, mode: 'insensitive' as const } } },
            ],
          }
        : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.case.findMany({
        where,
        select: caseSummarySelect,
        orderBy: [{ reference: 'asc' }],
        take: query.limit,
        skip: query.offset,
      }),
      this.db.case.count({ where }),
    ]);
    return { items: rows.map(toSummary), total, limit: query.limit, offset: query.offset };
  }
}
