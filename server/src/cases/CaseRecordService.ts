import {
  ErrorCode,
  SessionEventBodySchema,
  type CaseRecord,
  type ConsultationRecord,
  type LoggedSessionEvent,
} from '@parley/shared';
import type { AccessClaims } from '../auth/tokens.ts';
import type { Db } from '../db/types.ts';
import { ForbiddenError, NotFoundError } from '../http/AppError.ts';
import type { ChainedSessionEvent } from '../sessionLog/appendSessionEvent.ts';
import { SessionLogRepository } from '../sessionLog/SessionLogRepository.ts';
import { summarizeConsultation } from '../sessionLog/summarizeConsultation.ts';
import { verifyChain } from '../sessionLog/verifyChain.ts';
import { ClientTransferRepository } from '../clients/ClientTransferRepository.ts';
import { CaseAccessLogRepository } from './CaseAccessLogRepository.ts';
import { caseReadLevel } from './caseAccess.ts';
import { CaseRepository, type CaseRecordRow } from './CaseRepository.ts';

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The timeline as the API shows it; rows outside the vocabulary (none are written) are left out. */
export function toTimeline(chain: readonly ChainedSessionEvent[]): LoggedSessionEvent[] {
  const timeline: LoggedSessionEvent[] = [];
  for (const event of chain) {
    const body = SessionEventBodySchema.safeParse({ type: event.type, payload: event.payload });
    if (!body.success) continue;
    timeline.push({
      ...body.data,
      seq: event.seq,
      occurredAt: event.occurredAt.toISOString(),
      actorUserId: event.actorUserId,
      actorRole: event.actorRole,
    });
  }
  return timeline;
}

/** Reads case records under the access rules, and logs every read of one. */
export class CaseRecordService {
  private readonly cases: CaseRepository;
  private readonly logs: SessionLogRepository;
  private readonly accessLog: CaseAccessLogRepository;
  private readonly transfers: ClientTransferRepository;

  constructor(db: Db) {
    this.transfers = new ClientTransferRepository(db);
    this.cases = new CaseRepository(db);
    this.logs = new SessionLogRepository(db);
    this.accessLog = new CaseAccessLogRepository(db);
  }

  async read(who: AccessClaims, caseId: string): Promise<CaseRecord> {
    const row = await this.cases.findRecord(who.organizationId, caseId);
    if (!row) throw new NotFoundError('Case');
    const level = caseReadLevel(who, { attorneyIds: row.attorneys.map((a) => a.id) });
    if (level === 'none') {
      throw new ForbiddenError(ErrorCode.NOT_ASSIGNED_TO_CASE, 'You are not assigned to this case');
    }
    const full = level === 'full';
    const consultations = full
      ? row.consultations
      : row.consultations.filter((c) => c.interpreter?.id === who.userId);
    if (!full && consultations.length === 0) {
      throw new ForbiddenError(
        ErrorCode.NOT_IN_CONSULTATION,
        'Interpreters see only the consultations they interpreted',
      );
    }
    const chains = await this.logs.chainsOf(
      who.organizationId,
      consultations.map((c) => c.id),
    );
    const transfers = full ? await this.transfers.listForClient(who.organizationId, row.client.id) : [];
    const names = await this.participantNames(who.organizationId, row, full, [...chains.values()].flat());

    const record: CaseRecord = {
      access: level,
      case: {
        id: row.id,
        reference: row.reference,
        title: row.title,
        status: row.status,
        attorneys: row.attorneys,
      },
      client: full ? row.client : null,
      consultations: consultations.map((c): ConsultationRecord => {
        const chain = chains.get(c.id) ?? [];
        return {
          id: c.id,
          startsAt: c.startsAt.toISOString(),
          endsAt: c.endsAt.toISOString(),
          status: c.status,
          language: c.language,
          mode: c.mode,
          facility: c.facility,
          attorney: c.attorney,
          interpreter: c.interpreter,
          summary: summarizeConsultation(chain),
          timeline: full ? toTimeline(chain) : null,
          integrity: full ? verifyChain(c.id, chain) : null,
          names: { ...names, [`client:${c.id}`]: names.client ?? 'Client' },
        };
      }),
      transfers,
    };
    // Logged before the data leaves: a read that cannot be logged does not happen.
    await this.accessLog.record({
      organizationId: who.organizationId,
      caseId: row.id,
      userId: who.userId,
      role: who.role,
      action: 'CASE_RECORD',
    });
    return record;
  }

  private async participantNames(
    organizationId: string,
    row: CaseRecordRow,
    full: boolean,
    events: ChainedSessionEvent[],
  ): Promise<Record<string, string>> {
    const ids = new Set<string>();
    for (const e of events) {
      if (e.actorUserId) ids.add(e.actorUserId);
      const participant = e.payload.participantId;
      if (typeof participant === 'string' && USER_ID.test(participant)) ids.add(participant);
    }
    const names = await this.cases.userNames(organizationId, [...ids]);
    return {
      ...Object.fromEntries(names),
      ...(full ? { client: `${row.client.firstName} ${row.client.lastName}` } : {}),
    };
  }
}
