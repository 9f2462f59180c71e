import { Router } from 'express';
import {
  BookConsultationRequestSchema,
  CancelConsultationRequestSchema,
  ConsultationListQuerySchema,
  IdParamsSchema,
  RescheduleConsultationRequestSchema,
  SchedulingSettingsRequestSchema,
  StaffConfirmationRequestSchema,
  SuggestionQuerySchema,
  type SchedulingSettingsView,
} from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { facilityConfirmationsFor, requestOrigin } from '../confirmation/confirmationRoutes.ts';
import type { AccessClaims } from '../auth/tokens.ts';
import { NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { BookingService } from './BookingService.ts';
import { SchedulingRepository, type ConsultationScope } from './SchedulingRepository.ts';
import { SchedulingSettingsRepository } from './SchedulingSettingsRepository.ts';

/** The app's booking service, asking facilities through the app's mailer and signing key. */
function bookingServiceFor(ctx: AppContext): BookingService {
  const logger = ctx.logger.child({ component: 'scheduling' });
  return new BookingService(ctx.db, logger, undefined, facilityConfirmationsFor(ctx));
}

function scopeOf(who: AccessClaims): ConsultationScope {
  if (who.role === 'ATTORNEY' || who.role === 'INTERPRETER') {
    return { kind: who.role === 'ATTORNEY' ? 'attorney' : 'interpreter', userId: who.userId };
  }
  return { kind: 'all' };
}

/**
 * `/api/consultations`: staff book, move and cancel; attorneys and interpreters read their own.
 * Reads change nothing: the no-show job (noShowJob.ts) settles past calls.
 */
export function consultationRoutes(ctx: AppContext, service?: BookingService): Router {
  const router = Router();
  const bookings = service ?? bookingServiceFor(ctx);
  const repo = new SchedulingRepository(ctx.db);
  const staffOnly = requireRole('ADMIN', 'STAFF');

  router.get('/', async (req, res) => {
    const query = parseInput(ConsultationListQuerySchema, req.query, 'consultation search');
    const who = caller(req);
    res.json(await repo.list(who.organizationId, query, scopeOf(who)));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const who = caller(req);
    const consultation = await repo.view(who.organizationId, id, scopeOf(who));
    if (!consultation) throw new NotFoundError('Consultation');
    res.json({ consultation });
  });

  router.post('/', staffOnly, async (req, res) => {
    const input = parseInput(BookConsultationRequestSchema, req.body, 'booking');
    res.status(201).json({ consultation: await bookings.book(caller(req), input, requestOrigin(req)) });
  });

  router.post('/:id/reschedule', staffOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const input = parseInput(RescheduleConsultationRequestSchema, req.body, 'new time');
    res.json({ consultation: await bookings.reschedule(caller(req), id, input, requestOrigin(req)) });
  });

  /** Staff record the facility's confirmation given by phone (the mailed link is the other way). */
  router.post('/:id/confirmation', staffOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    parseInput(StaffConfirmationRequestSchema, req.body, 'confirmation');
    res.json({ consultation: await bookings.confirmByStaff(caller(req), id) });
  });

  router.post('/:id/cancel', staffOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const input = parseInput(CancelConsultationRequestSchema, req.body, 'cancellation');
    res.json({ consultation: await bookings.cancel(caller(req), id, input) });
  });

  return router;
}

/**
 * `/api/scheduling/suggestions`: open slots for a case on a day, with ranked interpreters.
 * `/api/scheduling/settings`: the organisation's booking horizon (staff read it, admins change it).
 */
export function suggestionRoutes(ctx: AppContext, service?: BookingService): Router {
  const router = Router();
  const bookings = service ?? bookingServiceFor(ctx);
  const settings = new SchedulingSettingsRepository(ctx.db);
  router.get('/suggestions', requireRole('ADMIN', 'STAFF'), async (req, res) => {
    const query = parseInput(SuggestionQuerySchema, req.query, 'suggestion request');
    res.json(await bookings.suggestions(caller(req), query));
  });
  router.get('/settings', requireRole('ADMIN', 'STAFF'), async (req, res) => {
    const view = await settings.read(caller(req).organizationId);
    if (!view) throw new NotFoundError('Organisation');
    res.json(view);
  });
  router.put('/settings', requireRole('ADMIN'), async (req, res) => {
    const input = parseInput(SchedulingSettingsRequestSchema, req.body, 'scheduling settings');
    const who = caller(req);
    const view: SchedulingSettingsView = await settings.update(who.organizationId, who.userId, input);
    res.json(view);
  });
  return router;
}
