import { Router } from 'express';
import { IdParamsSchema, type CallTicket } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller } from '../auth/authMiddleware.ts';
import { UserRepository } from '../auth/UserRepository.ts';
import { NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { decideCallSeat, type CallSeat } from './callAccess.ts';
import type { CallAccessRepository, CallConsultation } from './CallAccessRepository.ts';
import { CALL_TOKEN_TTL_SECONDS, signCallToken } from './callTokens.ts';
import { iceServersFor } from './iceServers.ts';

/** Builds the ticket a participant joins the call with. */
export function issueCallTicket(ctx: AppContext, consultation: CallConsultation, seat: CallSeat): CallTicket {
  const token = signCallToken(
    {
      consultationId: consultation.id,
      organizationId: consultation.organizationId,
      participantId: seat.participantId,
      role: seat.role,
      displayName: seat.displayName,
    },
    ctx.config.jwtSecret,
  );
  return {
    token,
    expiresIn: CALL_TOKEN_TTL_SECONDS,
    consultation: {
      id: consultation.id,
      startsAt: consultation.startsAt.toISOString(),
      endsAt: consultation.endsAt.toISOString(),
      language: consultation.language,
      mode: consultation.mode,
      facilityName: consultation.facility.name,
      facilityTimeZone: consultation.facility.timeZone,
      maxCallMinutes: consultation.facility.maxCallMinutes,
    },
    participant: seat,
    iceServers: iceServersFor(ctx.config.media, seat.participantId),
  };
}

/** `POST /api/calls/:id/ticket`: the consultation's attorney, interpreter or staff ask to join. */
export function callRoutes(ctx: AppContext, calls: CallAccessRepository): Router {
  const router = Router();
  const users = new UserRepository(ctx.db);

  router.post('/:id/ticket', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const who = caller(req);
    const consultation = await calls.findConsultation(who.organizationId, id);
    if (!consultation) throw new NotFoundError('Consultation');
    const user = await users.findSessionUser(who.userId);
    // A deactivated volunteer's access token lives on for minutes; the call must not.
    if (!user?.active) throw new NotFoundError('Your account');
    const seat = decideCallSeat(
      consultation,
      {
        kind: 'user',
        userId: who.userId,
        organizationId: who.organizationId,
        role: who.role,
        name: user.name,
      },
      new Date(),
    );
    res.json(issueCallTicket(ctx, consultation, seat));
  });

  return router;
}
