import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { findLanguage, type CalendarFeedCreated, type CalendarFeedStatus } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireAuth, requireRole } from '../auth/authMiddleware.ts';
import { hashSecretToken } from '../auth/tokens.ts';
import { NotFoundError } from '../http/AppError.ts';
import { CalendarFeedRepository } from './CalendarFeedRepository.ts';
import { renderCalendar } from './icsCalendar.ts';

const FeedTokenParamsSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
const PAST_DAYS = 60;

/**
 * `/api/calendar`: attorneys and interpreters subscribe their calendar app to a private `.ics`
 * URL. The URL's token is 256 random bits, stored only as SHA-256; creating a new one or
 * revoking ends the old URL at once. The feed holds no client names and no kiosk PINs.
 */
export function calendarRoutes(ctx: AppContext): Router {
  const router = Router();
  const feeds = new CalendarFeedRepository(ctx.db);
  const owners = [requireAuth(ctx.config.jwtSecret), requireRole('ATTORNEY', 'INTERPRETER')];

  router.get('/feeds/:token.ics', async (req, res) => {
    const parsed = FeedTokenParamsSchema.safeParse(req.params);
    if (!parsed.success) throw new NotFoundError('Calendar feed');
    const owner = await feeds.ownerByTokenHash(hashSecretToken(parsed.data.token));
    if (!owner) throw new NotFoundError('Calendar feed');
    const now = new Date();
    const rows = await feeds.entriesFor(
      owner.organizationId,
      owner,
      new Date(now.getTime() - PAST_DAYS * 86_400_000),
    );
    const text = renderCalendar(
      `Parley — ${owner.name}`,
      rows.map((r) => ({
        id: r.id,
        startsAt: r.startsAt,
        endsAt: r.endsAt,
        updatedAt: r.updatedAt,
        timeZone: r.facility.timeZone,
        summary: `Legal consultation ${r.case.reference} (${findLanguage(r.language)?.englishName ?? r.language})`,
        location: [r.facility.name, r.facility.address].filter(Boolean).join(', '),
        description: [
          `Attorney: ${r.attorney.name}`,
          `Interpreter: ${r.interpreter?.name ?? 'not assigned yet'}`,
          `Interpretation: ${r.mode.toLowerCase()}`,
          `Status: ${r.status.toLowerCase().replace('_', ' ')}`,
        ].join('\n'),
        cancelled: r.status === 'CANCELLED' || r.status === 'NO_SHOW',
      })),
      now,
    );
    res.set('Cache-Control', 'private, max-age=300');
    res.type('text/calendar; charset=utf-8').send(text);
  });

  router.get('/feed', ...owners, async (req, res) => {
    const feed = await feeds.active(caller(req).userId);
    const body: CalendarFeedStatus = {
      active: feed !== null,
      createdAt: feed?.createdAt.toISOString() ?? null,
    };
    res.json(body);
  });

  router.post('/feed', ...owners, async (req, res) => {
    const who = caller(req);
    const token = randomBytes(32).toString('base64url');
    const created = await feeds.replace(who.organizationId, who.userId, hashSecretToken(token), new Date());
    const body: CalendarFeedCreated = {
      url: `${req.protocol}://${req.get('host') ?? 'localhost'}/api/calendar/feeds/${token}.ics`,
      createdAt: created.createdAt.toISOString(),
    };
    res.status(201).json(body);
  });

  router.delete('/feed', ...owners, async (req, res) => {
    await feeds.revokeAll(caller(req).userId, new Date());
    const body: CalendarFeedStatus = { active: false, createdAt: null };
    res.json(body);
  });

  return router;
}
