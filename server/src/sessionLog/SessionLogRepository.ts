import type { Db } from '../db/types.ts';
import type { ChainedSessionEvent, SessionEventPayload } from './appendSessionEvent.ts';

const chainSelect = {
  organizationId: true,
  consultationId: true,
  seq: true,
  type: true,
  actorUserId: true,
  actorRole: true,
  occurredAt: true,
  payload: true,
  prevHash: true,
  hash: true,
} as const;

/** Who may read a consultation's log: the facts the access rules in cases/caseAccess.ts need. */
export interface ConsultationLogScope {
  id: string;
  caseId: string;
  attorneyId: string;
  interpreterId: string | null;
  caseAttorneyIds: string[];
}

/** Reads of the session log. Writes go through appendSessionEvents (one transaction each). */
export class SessionLogRepository {
  constructor(private readonly db: Db) {}

  /** A consultation's events in chain order; `organizationId` scopes the read when given. */
  async chainOf(consultationId: string, organizationId?: string): Promise<ChainedSessionEvent[]> {
    const rows = await this.db.sessionEvent.findMany({
      where: { consultationId, ...(organizationId ? { organizationId } : {}) },
      orderBy: { seq: 'asc' },
      select: chainSelect,
    });
    return rows.map((row) => ({ ...row, payload: row.payload as SessionEventPayload }));
  }

  /** The events of several consultations, grouped by consultation, each in chain order. */
  async chainsOf(
    organizationId: string,
    consultationIds: string[],
  ): Promise<Map<string, ChainedSessionEvent[]>> {
    const rows = await this.db.sessionEvent.findMany({
      where: { organizationId, consultationId: { in: consultationIds } },
      orderBy: [{ consultationId: 'asc' }, { seq: 'asc' }],
      select: chainSelect,
    });
    const chains = new Map<string, ChainedSessionEvent[]>(consultationIds.map((id) => [id, []]));
    for (const row of rows) {
      chains.get(row.consultationId)?.push({ ...row, payload: row.payload as SessionEventPayload });
    }
    return chains;
  }

  async scopeOf(organizationId: string, consultationId: string): Promise<ConsultationLogScope | null> {
    const row = await this.db.consultation.findFirst({
      where: { id: consultationId, organizationId },
      select: {
        id: true,
        caseId: true,
        attorneyId: true,
        interpreterId: true,
        case: { select: { attorneys: { select: { attorneyId: true } } } },
      },
    });
    if (!row) return null;
    const { case: theCase, ...scope } = row;
    return { ...scope, caseAttorneyIds: theCase.attorneys.map((a) => a.attorneyId) };
  }

  async consultationExists(consultationId: string): Promise<boolean> {
    return (await this.db.consultation.count({ where: { id: consultationId } })) > 0;
  }
}
