import type { ClientListQuery, ClientSummary, CreateClientRequest, Page } from '@parley/shared';
import type { Db } from '../db/types.ts';
import { escapeLikePattern } from '../http/likePattern.ts';

const clientSummarySelect = {
  id: true,
  firstName: true,
  lastName: true,
  aNumber: true,
  preferredLanguage: true,
  facility: { select: { id: true, name: true } },
  _count: { select: { cases: { where: { status: 'OPEN' as const } } } },
} as const;

type ClientSummaryRow = {
  id: string;
  firstName: string;
  lastName: string;
  aNumber: string;
  preferredLanguage: string;
  facility: { id: string; name: string } | null;
  _count: { cases: number };
};

function toSummary({ _count, ...row }: ClientSummaryRow): ClientSummary {
  return { ...row, openCases: _count.cases };
}

/** Clients are personal data: every read selects explicit fields and is scoped to one organisation. */
export class ClientRepository {
  constructor(private readonly db: Db) {}

  async list(organizationId: string, query: ClientListQuery): Promise<Page<ClientSummary>> {
    // Wildcards in the term match themselves: `q=%` finds names with a %, not everyone.
    const q = query.q === undefined ? undefined : escapeLikePattern(query.q);
    const digits = q?.replace(/[^0-9]/g, '');
    const where = {
      organizationId,
      ...(query.facilityId ? { facilityId: query.facilityId } : {}),
      ...(q
        ? {
            OR: [
              { lastName: { contains: q, mode: 'insensitive' as const } },
              { firstName: { contains: q, mode: 'insensitive' as const } },
              ...(digits && digits.length >= 3 ? [{ aNumber: { contains: digits } }] : []),
            ],
          }
        : {}),
    };
    const [rows, total] = await Promise.all([
      this.db.client.findMany({
        where,
        select: clientSummarySelect,
        orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
        take: query.limit,
        skip: query.offset,
      }),
      this.db.client.count({ where }),
    ]);
    return { items: rows.map(toSummary), total, limit: query.limit, offset: query.offset };
  }

  async findById(organizationId: string, id: string): Promise<ClientSummary | null> {
    const row = await this.db.client.findFirst({
      where: { id, organizationId },
      select: clientSummarySelect,
    });
    return row ? toSummary(row) : null;
  }

  async aNumberExists(organizationId: string, aNumber: string): Promise<boolean> {
    const row = await this.db.client.findUnique({
      where: { organizationId_aNumber: { organizationId, aNumber } },
      select: { id: true },
    });
    return row !== null;
  }

  async create(organizationId: string, input: CreateClientRequest): Promise<ClientSummary> {
    const row = await this.db.client.create({
      data: {
        organizationId,
        firstName: input.firstName,
        lastName: input.lastName,
        aNumber: input.aNumber,
        preferredLanguage: input.preferredLanguage,
        facilityId: input.facilityId ?? null,
      },
      select: clientSummarySelect,
    });
    return toSummary(row);
  }
}
