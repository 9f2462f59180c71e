import { Router } from 'express';
import { ErrorCode, IdParamsSchema } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller } from '../auth/authMiddleware.ts';
import type { CallAccessRepository } from '../calls/CallAccessRepository.ts';
import { AppError, ForbiddenError, NotFoundError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { phonePin, seatHolder, type PhoneRole } from './phonePins.ts';

/** What `GET /api/calls/:id/phone` answers: how to join by phone, and the PINs this person may see. */
export interface PhoneAccess {
  /** False when this Parley has no SIP settings: nobody can join by phone. */
  enabled: boolean;
  pins: { role: PhoneRole; pin: string }[];
}

/**
 * `GET /api/calls/:id/phone`: the attorney and the interpreter get their own seat's phone PIN; staff
 * and admins get all three (they arrange the client's call with the facility's legal line). Anyone
 * else in the organisation is refused; other organisations' calls are not found.
 */
export function phoneRoutes(ctx: AppContext, calls: CallAccessRepository): Router {
  const router = Router();
  router.get('/:id/phone', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const who = caller(req);
    const consultation = await calls.findConsultation(who.organizationId, id);
    if (!consultation) throw new NotFoundError('Consultation');
    if (!['SCHEDULED', 'IN_PROGRESS'].includes(consultation.status))
      throw new AppError(ErrorCode.CALL_ENDED, 'This call is over or cancelled', 409);
    let roles: PhoneRole[];
    if (who.role === 'STAFF' || who.role === 'ADMIN')
      roles = consultation.interpreterId ? ['ATTORNEY', 'INTERPRETER', 'CLIENT'] : ['ATTORNEY', 'CLIENT'];
    else if (who.role === 'ATTORNEY' && who.userId === consultation.attorneyId) roles = ['ATTORNEY'];
    else if (who.role === 'INTERPRETER' && who.userId === consultation.interpreterId) roles = ['INTERPRETER'];
    else throw new ForbiddenError(ErrorCode.NOT_IN_CONSULTATION, 'You are not a participant of this call');
    const secret = ctx.config.sip?.pinSecret;
    const body: PhoneAccess = {
      enabled: secret !== undefined,
      pins: secret
        ? roles.map((role) => ({
            role,
            pin: phonePin(secret, consultation.id, role, seatHolder(consultation, role)!),
          }))
        : [],
    };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });
  return router;
}
