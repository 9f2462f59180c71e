import type { Db } from '../db/types.ts';

const exportSelect = {
  id: true,
  startsAt: true,
  endsAt: true,
  status: true,
  language: true,
  mode: true,
  case: { select: { reference: true } },
  facility: { select: { name: true } },
  attorney: { select: { name: true } },
  interpreter: { select: { id: true, name: true } },
} as const;

export interface ExportConsultation {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  language: string;
  mode: string;
  case: { reference: string };
  facility: { name: string };
  attorney: { name: string };
  interpreter: { id: string; name: string } | null;
}

/** What a consultation's case note is made of, with the facts its access rules need. */
export interface CaseNoteRow {
  id: string;
  caseId: string;
  startsAt: Date;
  endsAt: Date;
  status: 'REQUESTED' | 'SCHEDULED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED' | 'NO_SHOW';
  language: string;
  mode: 'CONSECUTIVE' | 'SIMULTANEOUS';
  attorneyId: string;
  interpreterId: string | null;
  case: { reference: string; title: string; attorneys: { attorneyId: string }[] };
  client: { firstName: string; lastName: string };
  facility: { name: string; timeZone: string };
  attorney: { name: string };
  interpreter: { name: string } | null;
}

/** Reads for exports. Large reads are keyset-paginated so memory stays flat however long the range. */
export class ExportRepository {
  constructor(private readonly db: Db) {}

  /**
   * The organisation's consultations booked in [from, to), oldest first, a page at a time. Keyset
   * pagination on (startsAt, id): each page starts after the last row of the previous one, so
   * rows are neither skipped nor repeated, and no page costs more than the first.
   */
  async *consultationPages(
    organizationId: string,
    /** A date range, or one case's consultations (all of them). */
    filter: { from: Date; to: Date } | { caseId: string },
    pageSize = 500,
  ): AsyncGenerator<ExportConsultation[]> {
    const scope =
      'caseId' in filter ? { caseId: filter.caseId } : { startsAt: { gte: filter.from, lt: filter.to } };
    let after: { startsAt: Date; id: string } | null = null;
    for (;;) {
      const keyset: object = after
        ? {
            OR: [{ startsAt: { gt: after.startsAt } }, { startsAt: after.startsAt, id: { gt: after.id } }],
          }
        : {};
      const page: ExportConsultation[] = await this.db.consultation.findMany({
        where: { organizationId, ...scope, ...keyset },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        take: pageSize,
        select: exportSelect,
      });
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      const last = page.at(-1)!;
      after = { startsAt: last.startsAt, id: last.id };
    }
  }

  /** The case's reference, or null when it is not the organisation's. */
  async caseReference(organizationId: string, caseId: string): Promise<string | null> {
    const row = await this.db.case.findFirst({
      where: { id: caseId, organizationId },
      select: { reference: true },
    });
    return row?.reference ?? null;
  }

  async caseNoteRow(organizationId: string, consultationId: string): Promise<CaseNoteRow | null> {
    return this.db.consultation.findFirst({
      where: { id: consultationId, organizationId },
      select: {
        id: true,
        caseId: true,
        startsAt: true,
        endsAt: true,
        status: true,
        language: true,
        mode: true,
        attorneyId: true,
        interpreterId: true,
        case: { select: { reference: true, title: true, attorneys: { select: { attorneyId: true } } } },
        client: { select: { firstName: true, lastName: true } },
        facility: { select: { name: true, timeZone: true } },
        attorney: { select: { name: true } },
        interpreter: { select: { name: true } },
      },
    });
  }
}
