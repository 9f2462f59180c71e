import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { ErrorCode, LoginRequestSchema, RefreshRequestSchema } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { AppError, NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { AuthService } from './AuthService.ts';
import { caller, requireAuth } from './authMiddleware.ts';
import { UserRepository } from './UserRepository.ts';

export function authRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = new AuthService(ctx.db, ctx.config, ctx.logger.child({ component: 'auth' }));
  const users = new UserRepository(ctx.db);

  const loginLimiter = rateLimit({
    windowMs: ctx.config.loginRateLimit.windowMs,
    limit: ctx.config.loginRateLimit.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res
        .status(429)
        .json(
          new AppError(
            ErrorCode.RATE_LIMITED,
            'Too many sign-in attempts; wait a few minutes and try again',
            429,
          ).toBody(),
        );
    },
  });

  router.post('/login', loginLimiter, async (req, res) => {
    const body = parseInput(LoginRequestSchema, req.body, 'sign-in');
    res.json(await auth.login(body));
  });

  router.post('/refresh', async (req, res) => {
    const { refreshToken } = parseInput(RefreshRequestSchema, req.body, 'refresh request');
    res.json(await auth.refresh(refreshToken));
  });

  router.post('/logout', async (req, res) => {
    const { refreshToken } = parseInput(RefreshRequestSchema, req.body, 'sign-out request');
    await auth.logout(refreshToken);
    res.status(204).end();
  });

  router.get('/me', requireAuth(ctx.config.jwtSecret), async (req, res) => {
    const user = await users.findSessionUser(caller(req).userId);
    if (!user || !user.active) throw new NotFoundError('Your account');
    const { active: _active, ...sessionUser } = user;
    res.json({ user: sessionUser });
  });

  return router;
}
