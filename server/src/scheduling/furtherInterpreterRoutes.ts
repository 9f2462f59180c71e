import { Router } from 'express';
import { z } from 'zod';
import { AddInterpreterRequestSchema, IdParamsSchema, RelaySuggestionQuerySchema } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { parseInput } from '../http/validate.ts';
import { FurtherInterpreters } from './FurtherInterpreters.ts';

const FurtherInterpreterParamsSchema = z.object({ id: z.uuid(), interpreterId: z.uuid() });

/**
 * Relay interpreters and booth partners of a booking (issue 17), next to `/api/consultations`:
 * `GET /:id/interpreters` (staff, its attorney and interpreters), `POST /:id/interpreters` and
 * `DELETE /:id/interpreters/:interpreterId` (staff); and `/api/scheduling/relay-suggestions`,
 * slots where a relay pair is free together (staff).
 */
export function furtherInterpreterRoutes(ctx: AppContext): { consultations: Router; scheduling: Router } {
  const service = new FurtherInterpreters(ctx.db, ctx.logger.child({ component: 'scheduling' }));
  const staffOnly = requireRole('ADMIN', 'STAFF');

  const consultations = Router();
  consultations.get('/:id/interpreters', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    res.json(await service.list(caller(req), id));
  });
  consultations.post('/:id/interpreters', staffOnly, async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const input = parseInput(AddInterpreterRequestSchema, req.body, 'further interpreter');
    res.status(201).json(await service.add(caller(req), id, input));
  });
  consultations.delete('/:id/interpreters/:interpreterId', staffOnly, async (req, res) => {
    const { id, interpreterId } = parseInput(
      FurtherInterpreterParamsSchema,
      req.params,
      'further interpreter',
    );
    res.json(await service.remove(caller(req), id, interpreterId));
  });

  const scheduling = Router();
  scheduling.get('/relay-suggestions', staffOnly, async (req, res) => {
    const query = parseInput(RelaySuggestionQuerySchema, req.query, 'relay suggestion request');
    res.json(await service.relaySuggestions(caller(req), query));
  });
  return { consultations, scheduling };
}
