import { Router } from 'express';
import { IdParamsSchema } from '@parley/shared';
import { AdminAuditRepository } from '../admin/AdminAuditRepository.ts';
import type { AppContext } from '../AppContext.ts';
import { NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { AttemptThrottleRepository, signInKey } from './AttemptThrottleRepository.ts';
import { caller, requireRole } from './authMiddleware.ts';

/**
 * `POST /api/users/:id/unlock` (ADMIN, own organisation): lifts the per-account sign-in lock before
 * it runs out, for a person who proved who they are some other way. Answers 204 whether or not the
 * account was locked (the admin audit log says which); 404 for a user of another organisation (or none).
 */
export function accountLockRoutes(ctx: AppContext): Router {
  const router = Router();
  const attempts = new AttemptThrottleRepository(ctx.db);
  const audit = new AdminAuditRepository(ctx.db);
  const logger = ctx.logger.child({ component: 'auth' });

  router.post('/:id/unlock', requireRole('ADMIN'), async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'user id');
    const admin = caller(req);
    const user = await ctx.db.user.findFirst({
      where: { id, organizationId: admin.organizationId },
      select: { id: true, email: true },
    });
    if (!user) throw new NotFoundError('User');
    const wasLocked = await attempts.clear(signInKey(user.email));
    await audit.record({
      organizationId: admin.organizationId,
      actorUserId: admin.userId,
      action: 'USER_UNLOCKED',
      targetType: 'USER',
      targetId: user.id,
      details: { label: user.email, wasLocked },
    });
    logger.info(
      { userId: user.id, by: admin.userId, wasLocked },
      'sign-in attempts reset by an administrator',
    );
    res.status(204).end();
  });

  return router;
}
