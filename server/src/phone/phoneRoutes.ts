import { Router } from 'express';
import { DialOutRequestSchema, ErrorCode, IdParamsSchema, type PhoneAccess } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller } from '../auth/authMiddleware.ts';
import type { CallAccessRepository } from '../calls/CallAccessRepository.ts';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../http/AppError.ts';
import { parseInput } from '../http/validate.ts';
import { AttemptThrottleRepository } from '../auth/AttemptThrottleRepository.ts';
import { DialOutLimits, parseE164 } from './dialOut.ts';
import { gatewayFor } from './PhoneGateway.ts';
import { phonePin, seatHolder, type PhoneRole } from './phonePins.ts';

/**
 * `GET /api/calls/:id/phone`: the attorney and the interpreter get their own seat's phone PIN; staff
 * and admins get all three (they arrange the client's call with the facility's legal line). Anyone
 * else in the organisation is refused; other organisations' calls are not found.
 */
export function phoneRoutes(ctx: AppContext, calls: CallAccessRepository): Router {
  const router = Router();
  const dialOutLimits = new DialOutLimits(new AttemptThrottleRepository(ctx.db));
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
    const sip = ctx.config.sip;
    const secret = sip?.pinSecret;
    const sipPort = sip?.udpPort ?? sip?.tcpPort;
    const body: PhoneAccess = {
      enabled: secret !== undefined,
      dialIn:
        sip && secret !== undefined
          ? { number: sip.dialInNumber ?? null, sipUri: `sip:parley@${sip.publicAddress}:${sipPort}` }
          : null,
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

  /**
   * `POST /api/calls/:id/phone/dial-out` {role, number}: Parley calls that seat's phone through the
   * trunk, now if the call is open, else when it starts ("call me at …"); the callee lands in the
   * seat with its routing plan. Staff, admins and the call's attorney may ask for any seat, the
   * call's interpreter for their own; other organisations' calls are not found. The number must be
   * E.164 (VALIDATION_FAILED on `number`); requests are limited per person and per call
   * (RATE_LIMITED). 202 with the dial-out's id; what follows is in the session log (PHONE_DIAL_OUT).
   */
  router.post('/:id/phone/dial-out', async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const body = parseInput(DialOutRequestSchema, req.body, 'dial-out');
    const who = caller(req);
    const consultation = await calls.findConsultation(who.organizationId, id);
    if (!consultation) throw new NotFoundError('Consultation');
    const mayAsk =
      who.role === 'STAFF' ||
      who.role === 'ADMIN' ||
      (who.role === 'ATTORNEY' && who.userId === consultation.attorneyId) ||
      (who.role === 'INTERPRETER' &&
        who.userId === consultation.interpreterId &&
        body.role === 'INTERPRETER');
    if (!mayAsk) {
      if (
        (who.role === 'ATTORNEY' && who.userId !== consultation.attorneyId) ||
        (who.role === 'INTERPRETER' && who.userId !== consultation.interpreterId)
      )
        throw new ForbiddenError(ErrorCode.NOT_IN_CONSULTATION, 'You are not a participant of this call');
      throw new ForbiddenError(ErrorCode.FORBIDDEN_ROLE, 'You may ask Parley to call only your own phone');
    }
    const number = parseE164(body.number);
    if (!number)
      throw new ValidationError('The number is not an E.164 phone number', [
        { path: 'number', message: 'An E.164 phone number: + and the country code, 7 to 15 digits' },
      ]);
    if (body.role === 'INTERPRETER' && !consultation.interpreterId)
      throw new AppError(ErrorCode.CONFLICT, 'This call has no interpreter to call', 409);
    if (!['SCHEDULED', 'IN_PROGRESS'].includes(consultation.status))
      throw new AppError(ErrorCode.CALL_ENDED, 'This call is over or cancelled', 409);
    const gateway = gatewayFor(ctx.config.sip);
    if (!gateway)
      throw new AppError(ErrorCode.CONFLICT, 'This Parley does not make phone calls (no SIP)', 409);
    if (!(await dialOutLimits.take(who.userId, consultation.id)))
      throw new AppError(ErrorCode.RATE_LIMITED, 'Too many calls asked for; try again in a few minutes', 429);
    const accepted = await gateway.dialOut({
      consultation,
      role: body.role,
      number,
      requestedBy: { userId: who.userId, role: who.role },
    });
    res.status(202).json(accepted);
  });
  return router;
}
