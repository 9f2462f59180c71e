import { Router } from 'express';
import { CaseListQuerySchema, IdParamsSchema } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { parseInput } from '../http/validate.ts';
import { CaseRecordService } from './CaseRecordService.ts';
import { CaseRepository } from './CaseRepository.ts';

/**
 * Case records. Staff see the organisation's cases; attorneys see the cases assigned to them;
 * interpreters open a case only for the summaries of the consultations they interpreted.
 */
export function caseRoutes(ctx: AppContext): Router {
  const router = Router();
  const cases = new CaseRepository(ctx.db);
  const records = new CaseRecordService(ctx.db);

  router.get('/', requireRole('ADMIN', 'STAFF', 'ATTORNEY'), async (req, res) => {
    const query = parseInput(CaseListQuerySchema, req.query, 'case search');
    const who = caller(req);
    res.json(await cases.list(who.organizationId, query, who.role === 'ATTORNEY' ? who.userId : undefined));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'case id');
    res.json({ record: await records.read(caller(req), id) });
  });

  return router;
}
