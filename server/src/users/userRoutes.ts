import { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import {
  AcceptInviteRequestSchema,
  EmptyRequestSchema,
  ErrorCode,
  ForgotPasswordRequestSchema,
  IdParamsSchema,
  InvitePreviewQuerySchema,
  InviteUserRequestSchema,
  PageQuerySchema,
  ResetPasswordRequestSchema,
  UpdateUserRequestSchema,
  UserListQuerySchema,
} from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { userSessionsFor } from '../auth/UserSessions.ts';
import { AppError } from '../http/AppError.ts';
import { attemptLimiter } from '../http/rateLimit.ts';
import { parseInput } from '../http/validate.ts';
import { mailerFor } from '../mail/Mailer.ts';
import { PeopleService } from './PeopleService.ts';

function peopleFor(ctx: AppContext): PeopleService {
  const logger = ctx.logger.child({ component: 'people' });
  return new PeopleService(ctx.db, mailerFor(ctx.config.mail, ctx.logger), userSessionsFor(ctx), logger);
}

/** Where links in mail point: PUBLIC_URL, or (outside production) the origin the request came to. */
function linkBase(ctx: AppContext, req: Request): string | undefined {
  if (ctx.config.publicUrl) return ctx.config.publicUrl;
  if (ctx.config.isProduction) return undefined;
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** An administrator's links go to the origin they use, when PUBLIC_URL is not set. */
function adminLinkBase(ctx: AppContext, req: Request): string {
  return ctx.config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** `/api/users`: the people of the caller's organisation. Administrators only, except the bar cards. */
export function userRoutes(ctx: AppContext): Router {
  const router = Router();
  const people = peopleFor(ctx);
  const adminOnly = requireRole('ADMIN');

  router.get('/', adminOnly, async (req, res) => {
    const query = parseInput(UserListQuerySchema, req.query, 'people query');
    res.json(await people.repo.list(caller(req).organizationId, query));
  });

  /** Staff see each attorney's bar card when booking (ICE asks for it at attorney visits). */
  router.get('/attorneys', requireRole('ADMIN', 'STAFF'), async (req, res) => {
    res.json({ items: await people.repo.attorneys(caller(req).organizationId) });
  });

  router.get('/invites', adminOnly, async (req, res) => {
    const page = parseInput(PageQuerySchema.strict(), req.query, 'invite page');
    res.json(await people.repo.invites(caller(req).organizationId, new Date(), page));
  });

  router.post('/invites', adminOnly, async (req, res) => {
    const input = parseInput(InviteUserRequestSchema, req.body, 'invite');
    res.status(201).json(await people.invite(caller(req), input, adminLinkBase(ctx, req)));
  });

  router.delete('/invites/:id', adminOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'invite id');
    await people.revokeInvite(caller(req), id);
    res.status(204).end();
  });

  router.patch('/:id', adminOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'person id');
    const patch = parseInput(UpdateUserRequestSchema, req.body, 'change');
    res.json({ user: await people.update(caller(req), id, patch) });
  });

  router.post('/:id/deactivate', adminOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'person id');
    parseInput(EmptyRequestSchema, req.body, 'request');
    res.json({ user: await people.setActive(caller(req), id, false) });
  });

  router.post('/:id/reactivate', adminOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'person id');
    parseInput(EmptyRequestSchema, req.body, 'request');
    res.json({ user: await people.setActive(caller(req), id, true) });
  });

  router.post('/:id/password-reset', adminOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'person id');
    parseInput(EmptyRequestSchema, req.body, 'request');
    res.status(201).json(await people.issueReset(caller(req), id, adminLinkBase(ctx, req)));
  });

  return router;
}

/** `/api/account`: what people do without being signed in — accept an invite, reset a password. */
export function accountRoutes(ctx: AppContext): Router {
  const router = Router();
  const people = peopleFor(ctx);
  const guessLimiter = attemptLimiter(
    ctx.config.loginRateLimit,
    'Too many attempts; wait a few minutes and try again',
    ctx.shared?.rateLimitStore('account'),
  );
  // Every request counts, sent or not: mail must not be a way to flood someone's inbox.
  const forgotStore = ctx.shared?.rateLimitStore('forgot-password');
  const forgotLimiter = rateLimit({
    ...(forgotStore ? { store: forgotStore } : {}),
    windowMs: ctx.config.mail.forgotPasswordRateLimit.windowMs,
    limit: ctx.config.mail.forgotPasswordRateLimit.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res
        .status(429)
        .json(
          new AppError(
            ErrorCode.RATE_LIMITED,
            'Too many requests; wait a few minutes and try again',
            429,
          ).toBody(),
        );
    },
  });

  router.get('/invite', guessLimiter, async (req, res) => {
    const { token } = parseInput(InvitePreviewQuerySchema, req.query, 'invite link');
    res.json({ invite: await people.previewInvite(token) });
  });

  router.post('/sign-up', guessLimiter, async (req, res) => {
    const input = parseInput(AcceptInviteRequestSchema, req.body, 'sign-up');
    res.status(201).json(await people.acceptInvite(input));
  });

  /** Same answer whether or not the address has an account; the mail goes out in the background. */
  router.post('/forgot-password', forgotLimiter, (req, res) => {
    const { email } = parseInput(ForgotPasswordRequestSchema, req.body, 'request');
    const base = linkBase(ctx, req);
    people.forgotPassword(email, base).catch((err: unknown) => {
      ctx.logger.error({ err }, 'forgot-password mail failed');
    });
    res.status(202).json({ ok: true });
  });

  router.post('/reset-password', guessLimiter, async (req, res) => {
    const input = parseInput(ResetPasswordRequestSchema, req.body, 'password reset');
    res.json(await people.resetPassword(input.token, input.password));
  });

  return router;
}
