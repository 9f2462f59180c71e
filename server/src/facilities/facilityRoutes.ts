import { Router } from 'express';
import { IdParamsSchema } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller } from '../auth/authMiddleware.ts';
import { NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { FacilityRepository } from './FacilityRepository.ts';

/** Detention facilities of the caller's organisation. Every signed-in role may read them. */
export function facilityRoutes(ctx: AppContext): Router {
  const router = Router();
  const facilities = new FacilityRepository(ctx.db);

  router.get('/', async (req, res) => {
    res.json({ items: await facilities.list(caller(req).organizationId) });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'facility id');
    const facility = await facilities.findById(caller(req).organizationId, id);
    if (!facility) throw new NotFoundError('Facility');
    res.json({ facility });
  });

  return router;
}
