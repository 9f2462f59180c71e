import { Router, type Request } from 'express';
import {
  ErrorCode,
  KioskJoinRequestSchema,
  KioskSignInRequestSchema,
  type KioskConsultation,
  type KioskSession,
} from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { hashSecretToken } from '../auth/tokens.ts';
import { decideCallSeat, initials } from '../calls/callAccess.ts';
import type { CallAccessRepository } from '../calls/CallAccessRepository.ts';
import { issueCallTicket } from '../calls/callRoutes.ts';
import {
  KIOSK_TOKEN_TTL_SECONDS,
  signKioskToken,
  verifyKioskToken,
  type KioskClaims,
} from '../calls/callTokens.ts';
import { AppError, NotFoundError, UnauthenticatedError } from '../http/AppError.ts';
import { attemptLimiter } from '../http/rateLimit.ts';
import { parseInput } from '../http/validate.ts';

/**
 * Facility kiosks: a device signs in once with its credential, lists today's calls at its facility
 * (initials and time only) and joins one as the client, by tapping it or typing its 6-digit PIN.
 */
export function kioskRoutes(ctx: AppContext, calls: CallAccessRepository): Router {
  const router = Router();

  // Guessing a credential or a PIN must be slow.
  const guessLimiter = attemptLimiter(
    ctx.config.loginRateLimit,
    'Too many attempts; wait a few minutes and try again',
  );

  async function device(req: Request): Promise<KioskClaims> {
    const match = req.headers.authorization?.match(/^Bearer ([A-Za-z0-9._-]+)$/);
    if (!match?.[1])
      throw new UnauthenticatedError(ErrorCode.UNAUTHENTICATED, 'This device is not signed in');
    const claims = verifyKioskToken(match[1], ctx.config.jwtSecret);
    if (!(await calls.isDeviceActive(claims.deviceId))) {
      throw new UnauthenticatedError(
        ErrorCode.TOKEN_INVALID,
        'This device has been removed; ask an administrator',
      );
    }
    return claims;
  }

  router.post('/session', guessLimiter, async (req, res) => {
    const { credential } = parseInput(KioskSignInRequestSchema, req.body, 'device sign-in');
    const found = await calls.findDeviceByCredentialHash(hashSecretToken(credential));
    if (!found) {
      throw new UnauthenticatedError(ErrorCode.INVALID_CREDENTIALS, 'That device credential is not valid');
    }
    await calls.touchDevice(found.id, new Date());
    const session: KioskSession = {
      token: signKioskToken(
        { deviceId: found.id, facilityId: found.facility.id, organizationId: found.organizationId },
        ctx.config.jwtSecret,
      ),
      expiresIn: KIOSK_TOKEN_TTL_SECONDS,
      device: { id: found.id, label: found.label },
      facility: found.facility,
    };
    res.json(session);
  });

  router.get('/consultations', async (req, res) => {
    const kiosk = await device(req);
    const now = new Date();
    const rows = await calls.listJoinable(kiosk.facilityId, now, new Date(now.getTime() + 12 * 3600 * 1000));
    const items: KioskConsultation[] = rows.map((row) => ({
      id: row.id,
      clientInitials: initials(row.client.firstName, row.client.lastName),
      language: row.language,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
      status: row.status as KioskConsultation['status'],
    }));
    res.json({ items });
  });

  router.post('/join', guessLimiter, async (req, res) => {
    const kiosk = await device(req);
    const input = parseInput(KioskJoinRequestSchema, req.body, 'join request');
    const consultation =
      'pin' in input
        ? await calls.findActiveByPin(kiosk.facilityId, input.pin)
        : await calls.findConsultation(kiosk.organizationId, input.consultationId);
    if (!consultation) {
      throw 'pin' in input
        ? new AppError(ErrorCode.NOT_FOUND, 'No call here has that code', 404)
        : new NotFoundError('Consultation');
    }
    const seat = decideCallSeat(consultation, { kind: 'kiosk', ...kiosk }, new Date());
    res.json(issueCallTicket(ctx, consultation, seat));
  });

  return router;
}
