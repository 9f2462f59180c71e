import { Router } from 'express';
import { DateTime } from 'luxon';
import {
  CreateAvailabilityExceptionRequestSchema,
  IdParamsSchema,
  UpdateWeeklyAvailabilityRequestSchema,
  type AvailabilityView,
} from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { NotFoundError, ValidationError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { AvailabilityRepository } from './AvailabilityRepository.ts';

const LOCAL_FORMAT = "yyyy-MM-dd'T'HH:mm";

/** `/api/interpreters/me/availability`: an interpreter states when they can work, in their own zone. */
export function availabilityRoutes(ctx: AppContext): Router {
  const router = Router();
  const repo = new AvailabilityRepository(ctx.db);
  router.use(requireRole('INTERPRETER'));

  const readView = async (organizationId: string, userId: string): Promise<AvailabilityView> => {
    const row = await repo.read(organizationId, userId);
    if (!row) throw new NotFoundError('Interpreter');
    const zone = row.timeZone;
    return {
      timeZone: zone,
      weekly: row.availability,
      exceptions: row.availabilityExceptions.map((e) => ({
        id: e.id,
        startsAt: e.startsAt.toISOString(),
        endsAt: e.endsAt.toISOString(),
        startsAtLocal: DateTime.fromJSDate(e.startsAt, { zone }).toFormat(LOCAL_FORMAT),
        endsAtLocal: DateTime.fromJSDate(e.endsAt, { zone }).toFormat(LOCAL_FORMAT),
        available: e.available,
        note: e.note,
      })),
    };
  };

  router.get('/me/availability', async (req, res) => {
    const who = caller(req);
    res.json(await readView(who.organizationId, who.userId));
  });

  router.put('/me/availability', async (req, res) => {
    const input = parseInput(UpdateWeeklyAvailabilityRequestSchema, req.body, 'availability');
    const who = caller(req);
    await repo.replaceWeekly(who.userId, input.timeZone, input.weekly);
    res.json(await readView(who.organizationId, who.userId));
  });

  router.post('/me/availability/exceptions', async (req, res) => {
    const input = parseInput(CreateAvailabilityExceptionRequestSchema, req.body, 'availability exception');
    const who = caller(req);
    const current = await repo.read(who.organizationId, who.userId);
    if (!current) throw new NotFoundError('Interpreter');
    const startsAt = DateTime.fromISO(input.startsAtLocal, { zone: current.timeZone });
    const endsAt = DateTime.fromISO(input.endsAtLocal, { zone: current.timeZone });
    if (!startsAt.isValid || !endsAt.isValid || endsAt <= startsAt) {
      throw new ValidationError('The exception must end after it starts', [
        { path: 'endsAtLocal', message: 'Ends after it starts' },
      ]);
    }
    await repo.addException(who.userId, {
      startsAt: startsAt.toJSDate(),
      endsAt: endsAt.toJSDate(),
      available: input.available,
      note: input.note,
    });
    res.status(201).json(await readView(who.organizationId, who.userId));
  });

  router.delete('/me/availability/exceptions/:id', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'exception id');
    const who = caller(req);
    if (!(await repo.deleteException(who.userId, id))) throw new NotFoundError('Availability exception');
    res.json(await readView(who.organizationId, who.userId));
  });

  return router;
}
