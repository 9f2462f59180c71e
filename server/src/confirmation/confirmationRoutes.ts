import { Router, type Request } from 'express';
import {
  FacilityConfirmationAnswerSchema,
  FacilityConfirmationLookupSchema,
  IdParamsSchema,
} from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { parseInput } from '../http/validate.ts';
import { mailerFor } from '../mail/Mailer.ts';
import type { Logger } from '../logger.ts';
import { FacilityConfirmations } from './FacilityConfirmations.ts';

const services = new WeakMap<AppContext, FacilityConfirmations>();

/** The one confirmation service of an app (its mailer and signing key). */
export function facilityConfirmationsFor(ctx: AppContext, logger?: Logger): FacilityConfirmations {
  let service = services.get(ctx);
  if (!service) {
    service = new FacilityConfirmations(
      ctx.db,
      logger ?? ctx.logger.child({ component: 'facility-confirmation' }),
      {
        secret: ctx.config.jwtSecret,
        mailer: mailerFor(ctx.config.mail, ctx.logger),
        ...(ctx.config.publicUrl ? { publicUrl: ctx.config.publicUrl } : {}),
      },
    );
    services.set(ctx, service);
  }
  return service;
}

/** Where links in the facility's mail point when PUBLIC_URL is unset: the origin staff booked from. */
export function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * `/api/facility-confirmations/:consultationId`: the facility's scheduling contact, with no
 * account, reads the call behind its link and answers. The token travels in the body (the page
 * keeps it in the URL's fragment), so no server or proxy log holds it.
 */
export function facilityConfirmationRoutes(ctx: AppContext): Router {
  const router = Router();
  const confirmations = facilityConfirmationsFor(ctx);

  router.post('/:id/view', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const { token } = parseInput(FacilityConfirmationLookupSchema, req.body, 'confirmation link');
    res.json({ request: await confirmations.view(id, token) });
  });

  router.post('/:id/answer', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const input = parseInput(FacilityConfirmationAnswerSchema, req.body, 'answer');
    res.json({ request: await confirmations.answer(id, input) });
  });

  return router;
}
