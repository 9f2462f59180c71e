import { Router, type Request } from 'express';
import { ErrorCode, IdParamsSchema, type CallAttestationResponse } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { canReadConsultationLog } from '../cases/caseAccess.ts';
import { ForbiddenError, NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { CallAttestationRepository } from './CallAttestationRepository.ts';
import { SessionLogRepository } from './SessionLogRepository.ts';
import { verifyChain } from './verifyChain.ts';

/**
 * `/api/consultations/:id/log/…` and `/:id/attestation`: the session log's tamper evidence and the
 * call's signed record. Staff and the case's attorneys may check a chain and read the record;
 * interpreters read summaries only, through the case record.
 */
export function sessionLogRoutes(ctx: AppContext): Router {
  const router = Router();
  const logs = new SessionLogRepository(ctx.db);
  const attestations = new CallAttestationRepository(ctx.db);
  const readers = requireRole('ADMIN', 'STAFF', 'ATTORNEY');

  /** The consultation id of the request, once the caller may read its log. */
  async function readableConsultation(req: Request): Promise<{ id: string; organizationId: string }> {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const who = caller(req);
    const scope = await logs.scopeOf(who.organizationId, id);
    if (!scope) throw new NotFoundError('Consultation');
    if (!canReadConsultationLog(who, { attorneyIds: scope.caseAttorneyIds }, scope)) {
      throw new ForbiddenError(ErrorCode.NOT_ASSIGNED_TO_CASE, 'You are not assigned to this case');
    }
    return { id, organizationId: who.organizationId };
  }

  router.get('/:id/log/verify', readers, async (req, res) => {
    const { id, organizationId } = await readableConsultation(req);
    res.json({ verification: verifyChain(id, await logs.chainOf(id, organizationId)) });
  });

  router.get('/:id/attestation', readers, async (req, res) => {
    const { id, organizationId } = await readableConsultation(req);
    const body: CallAttestationResponse = { attestation: await attestations.find(id, organizationId) };
    res.json(body);
  });

  return router;
}
