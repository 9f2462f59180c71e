import { Router } from 'express';
import { ErrorCode, IdParamsSchema } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { canReadConsultationLog } from '../cases/caseAccess.ts';
import { ForbiddenError, NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { SessionLogRepository } from './SessionLogRepository.ts';
import { verifyChain } from './verifyChain.ts';

/**
 * `/api/consultations/:id/log/…`: the session log's tamper evidence. Staff and the case's
 * attorneys may check a chain; interpreters read summaries only, through the case record.
 */
export function sessionLogRoutes(ctx: AppContext): Router {
  const router = Router();
  const logs = new SessionLogRepository(ctx.db);

  router.get('/:id/log/verify', requireRole('ADMIN', 'STAFF', 'ATTORNEY'), async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const who = caller(req);
    const scope = await logs.scopeOf(who.organizationId, id);
    if (!scope) throw new NotFoundError('Consultation');
    if (!canReadConsultationLog(who, { attorneyIds: scope.caseAttorneyIds }, scope)) {
      throw new ForbiddenError(ErrorCode.NOT_ASSIGNED_TO_CASE, 'You are not assigned to this case');
    }
    res.json({ verification: verifyChain(id, await logs.chainOf(id, who.organizationId)) });
  });

  return router;
}
