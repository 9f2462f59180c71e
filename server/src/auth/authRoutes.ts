import { Router } from 'express';
import { LoginRequestSchema, RefreshRequestSchema } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { NotFoundError } from '../http/AppError.ts';
import { attemptLimiter } from '../http/rateLimit.ts';
import { parseInput } from '../http/validate.ts';
import { AccountLockedError, AuthService } from './AuthService.ts';
import { caller, requireAuth } from './authMiddleware.ts';
import { UserRepository } from './UserRepository.ts';

export function authRoutes(ctx: AppContext): Router {
  const router = Router();
  const auth = new AuthService(ctx.db, ctx.config, ctx.logger.child({ component: 'auth' }));
  const users = new UserRepository(ctx.db);

  const loginLimiter = attemptLimiter(
    ctx.config.loginRateLimit,
    'Too many sign-in attempts; wait a few minutes and try again',
    ctx.shared?.rateLimitStore('login'),
  );

  router.post('/login', loginLimiter, async (req, res) => {
    const body = parseInput(LoginRequestSchema, req.body, 'sign-in');
    try {
      res.json(await auth.login(body));
    } catch (err) {
      if (err instanceof AccountLockedError) {
        res.setHeader('Retry-After', Math.max(1, Math.ceil((err.retryAt.getTime() - Date.now()) / 1000)));
      }
      throw err;
    }
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
    const { active: _active, sessionVersion: _version, ...sessionUser } = user;
    res.json({ user: sessionUser });
  });

  return router;
}
