import type { Role } from '@parley/shared';
import type { Db } from '../db/types.ts';

/** What a logged read was. Kept in step with the CHECK constraint on "CaseAccessLog"."action". */
export type CaseAccessAction = 'CASE_RECORD' | 'CASE_NOTE';

/** The access log of clients' personal data. Append-only: the database refuses changes. */
export class CaseAccessLogRepository {
  constructor(private readonly db: Db) {}

  async record(entry: {
    organizationId: string;
    caseId: string;
    userId: string;
    role: Role;
    action: CaseAccessAction;
  }): Promise<void> {
    await this.db.caseAccessLog.create({ data: entry, select: { id: true } });
  }

  /** The latest reads of a case, newest first. */
  async forCase(organizationId: string, caseId: string, limit = 100) {
    return this.db.caseAccessLog.findMany({
      where: { organizationId, caseId },
      orderBy: { accessedAt: 'desc' },
      take: limit,
      select: { accessedAt: true, action: true, role: true, user: { select: { id: true, name: true } } },
    });
  }
}
