import { Router } from 'express';
import { CaseListQuerySchema } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { parseInput } from '../http/validate.ts';
import { CaseRepository } from './CaseRepository.ts';

/** Case records. Staff see the organisation's cases; attorneys see the cases assigned to them. */
export function caseRoutes(ctx: AppContext): Router {
  const router = Router();
  const cases = new CaseRepository(ctx.db);

  router.get('/', requireRole('ADMIN', 'STAFF', 'ATTORNEY'), async (req, res) => {
    const query = parseInput(CaseListQuerySchema, req.query, 'case search');
    const who = caller(req);
    res.json(await cases.list(who.organizationId, query, who.role === 'ATTORNEY' ? who.userId : undefined));
  });

  return router;
}
