import { ErrorCode } from '@parley/shared';
import type { AccessClaims } from '../auth/tokens.ts';
import { canReadConsultationLog } from '../cases/caseAccess.ts';
import { CaseAccessLogRepository } from '../cases/CaseAccessLogRepository.ts';
import { CaseRepository } from '../cases/CaseRepository.ts';
import type { Db } from '../db/types.ts';
import { ForbiddenError, NotFoundError } from '../http/AppError.ts';
import { SessionLogRepository } from '../sessionLog/SessionLogRepository.ts';
import { summarizeConsultation } from '../sessionLog/summarizeConsultation.ts';
import { verifyChain } from '../sessionLog/verifyChain.ts';
import { formatCaseNote, type CaseNoteFacts } from './caseNote.ts';
import { ExportRepository, type CaseNoteRow } from './ExportRepository.ts';

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Builds consultations' case notes: for a person (access-checked and logged) or for the webhook. */
export class CaseNoteService {
  private readonly exports: ExportRepository;
  private readonly logs: SessionLogRepository;
  private readonly cases: CaseRepository;
  private readonly accessLog: CaseAccessLogRepository;

  constructor(db: Db) {
    this.exports = new ExportRepository(db);
    this.logs = new SessionLogRepository(db);
    this.cases = new CaseRepository(db);
    this.accessLog = new CaseAccessLogRepository(db);
  }

  /** The case note as a signed-in person reads it; the read is logged like a case record read. */
  async forReader(who: AccessClaims, consultationId: string): Promise<string> {
    const row = await this.exports.caseNoteRow(who.organizationId, consultationId);
    if (!row) throw new NotFoundError('Consultation');
    if (!canReadConsultationLog(who, { attorneyIds: row.case.attorneys.map((a) => a.attorneyId) }, row)) {
      throw new ForbiddenError(ErrorCode.NOT_ASSIGNED_TO_CASE, 'You are not assigned to this case');
    }
    const note = formatCaseNote(await this.facts(who.organizationId, row));
    await this.accessLog.record({
      organizationId: who.organizationId,
      caseId: row.caseId,
      userId: who.userId,
      role: who.role,
      action: 'CASE_NOTE',
    });
    return note;
  }

  /** The facts of a consultation's note, for the organisation's own systems (the webhook). */
  async factsFor(
    organizationId: string,
    consultationId: string,
  ): Promise<{ facts: CaseNoteFacts; caseId: string } | null> {
    const row = await this.exports.caseNoteRow(organizationId, consultationId);
    return row ? { facts: await this.facts(organizationId, row), caseId: row.caseId } : null;
  }

  private async facts(organizationId: string, row: CaseNoteRow): Promise<CaseNoteFacts> {
    const chain = await this.logs.chainOf(row.id, organizationId);
    const ids = new Set<string>();
    for (const e of chain) {
      const participant = e.payload.participantId;
      if (typeof participant === 'string' && USER_ID.test(participant)) ids.add(participant);
    }
    const names = Object.fromEntries(await this.cases.userNames(organizationId, [...ids]));
    return {
      case: { reference: row.case.reference, title: row.case.title },
      client: row.client,
      facility: row.facility,
      consultation: {
        id: row.id,
        startsAt: row.startsAt,
        endsAt: row.endsAt,
        status: row.status,
        language: row.language,
        mode: row.mode,
      },
      attorney: row.attorney,
      interpreter: row.interpreter,
      names: { ...names, [`client:${row.id}`]: `${row.client.firstName} ${row.client.lastName}` },
      summary: summarizeConsultation(chain),
      integrity: verifyChain(row.id, chain),
    };
  }
}
