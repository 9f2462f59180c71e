import type { CaseListQuery, CaseRecord, CaseSummary, Page } from '@parley/shared';
import type { Db } from '../db/types.ts';
import { escapeLikePattern } from '../http/likePattern.ts';

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
      aNumber: true,
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
    aNumber: string;
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

const consultationRecordSelect = {
  id: true,
  startsAt: true,
  endsAt: true,
  status: true,
  language: true,
  mode: true,
  facility: { select: { id: true, name: true, timeZone: true } },
  attorney: { select: { id: true, name: true } },
  interpreter: { select: { id: true, name: true } },
} as const;

/** A case with what its record page shows, before access rules and the session log are applied. */
export interface CaseRecordRow {
  id: string;
  reference: string;
  title: string;
  status: 'OPEN' | 'CLOSED';
  attorneys: CaseRecord['case']['attorneys'];
  /** The client as the record page shows them to those with full access. */
  client: NonNullable<CaseRecord['client']>;
  consultations: {
    id: string;
    startsAt: Date;
    endsAt: Date;
    status: 'REQUESTED' | 'SCHEDULED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED' | 'NO_SHOW';
    language: string;
    mode: 'CONSECUTIVE' | 'SIMULTANEOUS';
    facility: { id: string; name: string; timeZone: string };
    attorney: { id: string; name: string };
    interpreter: { id: string; name: string } | null;
  }[];
}

export class CaseRepository {
  constructor(private readonly db: Db) {}

  /** Cases of the organisation; `attorneyId` narrows to the cases that attorney is assigned to. */
  async list(organizationId: string, query: CaseListQuery, attorneyId?: string): Promise<Page<CaseSummary>> {
    // Wildcards in the term match themselves: `q=%` finds names with a %, not everyone.
    const q = query.q === undefined ? undefined : escapeLikePattern(query.q);
    // An A-Number is typed with or without its dashes: "A 123-456-789" finds 123456789.
    const digits = q?.replace(/[^0-9]/g, '');
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
              ...(digits && digits.length >= 3 ? [{ client: { aNumber: { contains: digits } } }] : []),
            ],
          }
        : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.case.findMany({
        where,
        select: caseSummarySelect,
        orderBy: [{ reference: 'asc' }, { id: 'asc' }],
        take: query.limit,
        skip: query.offset,
      }),
      this.db.case.count({ where }),
    ]);
    return { items: rows.map(toSummary), total, limit: query.limit, offset: query.offset };
  }

  /** A case with its client and consultations (newest first), or null outside the organisation. */
  async findRecord(organizationId: string, caseId: string): Promise<CaseRecordRow | null> {
    const row = await this.db.case.findFirst({
      where: { id: caseId, organizationId },
      select: {
        id: true,
        reference: true,
        title: true,
        status: true,
        attorneys: {
          select: { attorney: { select: { id: true, name: true } } },
          orderBy: { assignedAt: 'asc' },
        },
        client: {
          select: {
            id: true,
            firstName: true,
            lastName: true,
            aNumber: true,
            preferredLanguage: true,
            facility: { select: { id: true, name: true, timeZone: true } },
          },
        },
        consultations: { select: consultationRecordSelect, orderBy: [{ startsAt: 'desc' }, { id: 'asc' }] },
      },
    });
    if (!row) return null;
    return { ...row, attorneys: row.attorneys.map((a) => a.attorney) };
  }

  /** Display names of the organisation's users among `ids` (unknown ids are left out). */
  async userNames(organizationId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.user.findMany({
      where: { organizationId, id: { in: ids } },
      select: { id: true, name: true },
    });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
