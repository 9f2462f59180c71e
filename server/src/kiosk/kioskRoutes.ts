import { timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import {
  ErrorCode,
  KioskJoinRequestSchema,
  KioskPromptLanguageSchema,
  KioskPromptParamsSchema,
  KioskSignInRequestSchema,
  type KioskConsultation,
  type KioskJoinResponse,
  type KioskRecordedPrompts,
  type KioskSession,
} from '@parley/shared';
import { z } from 'zod';
import type { AppContext } from '../AppContext.ts';
import { hashSecretToken } from '../auth/tokens.ts';
import { decideCallSeat, initials, type CallSeat } from '../calls/callAccess.ts';
import type { CallAccessRepository, CallConsultation } from '../calls/CallAccessRepository.ts';
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
import { memorySharedState, type KioskAttemptCounter } from '../cluster/SharedState.ts';
import type { AttemptKey } from './kioskAttempts.ts';
import { KioskRepository } from './KioskRepository.ts';
import { signKioskSeatToken, verifyKioskSeatToken } from './kioskSeatToken.ts';

/**
 * Facility kiosks: a device signs in once with its credential, lists today's calls at its facility
 * (time only, initials if the organisation allows) and joins one as the client. The person in the
 * booth proves the call is theirs: its 6-digit code, or a tap on it and the last three digits of
 * their A-Number. Failures are counted per device and per consultation (`KioskAttempts`).
 */
export function kioskRoutes(
  ctx: AppContext,
  calls: CallAccessRepository,
  attempts: KioskAttemptCounter = (ctx.shared ?? memorySharedState()).kioskAttempts,
): Router {
  const router = Router();
  const kiosks = new KioskRepository(ctx.db);

  // Guessing a credential or a code from one address must be slow, across devices too.
  const guessLimiter = attemptLimiter(
    ctx.config.loginRateLimit,
    'Too many attempts; wait a few minutes and try again',
    ctx.shared?.rateLimitStore('kiosk'),
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

  async function assertNotBlocked(res: Response, key: AttemptKey, now: Date): Promise<void> {
    const until = await attempts.blockedUntil(key, now.getTime());
    if (until === null) return;
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil((until - now.getTime()) / 1000))));
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      key.kind === 'device'
        ? 'Too many wrong attempts on this tablet; wait a few minutes or ask the officer'
        : 'Too many wrong attempts for this call; ask the officer for its 6-digit code',
      429,
    );
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
    const [rows, showInitials] = await Promise.all([
      calls.listJoinable(kiosk.facilityId, now, new Date(now.getTime() + 12 * 3600 * 1000)),
      kiosks.showInitials(kiosk.organizationId),
    ]);
    const items: KioskConsultation[] = rows.map((row) => ({
      id: row.id,
      clientInitials: showInitials ? initials(row.client.firstName, row.client.lastName) : null,
      language: showInitials ? row.language : null,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
      status: row.status as KioskConsultation['status'],
    }));
    res.json({ items });
  });

  router.post('/join', guessLimiter, async (req, res) => {
    const kiosk = await device(req);
    const input = parseInput(KioskJoinRequestSchema, req.body, 'join request');
    const now = new Date();
    const deviceKey: AttemptKey = { kind: 'device', id: kiosk.deviceId };
    await assertNotBlocked(res, deviceKey, now);

    let consultation: CallConsultation | null;
    let seat: CallSeat;
    if ('pin' in input) {
      consultation = await calls.findActiveByPin(kiosk.facilityId, input.pin);
      if (!consultation) {
        await attempts.recordFailure(deviceKey, now.getTime());
        throw new AppError(ErrorCode.NOT_FOUND, 'No call here has that code', 404);
      }
      seat = decideCallSeat(consultation, { kind: 'kiosk', ...kiosk }, now);
    } else {
      consultation = await calls.findConsultation(kiosk.organizationId, input.consultationId);
      if (!consultation) {
        await attempts.recordFailure(deviceKey, now.getTime());
        throw new NotFoundError('Consultation');
      }
      // Facility, status and time first: a tablet elsewhere learns nothing about the digits.
      seat = decideCallSeat(consultation, { kind: 'kiosk', ...kiosk }, now);
      if ('seatToken' in input) {
        const claims = verifyKioskSeatToken(input.seatToken, ctx.config.jwtSecret);
        if (claims?.deviceId !== kiosk.deviceId || claims.consultationId !== consultation.id) {
          await attempts.recordFailure(deviceKey, now.getTime());
          throw new UnauthenticatedError(
            ErrorCode.TOKEN_INVALID,
            'This tablet cannot return to that call; enter the digits again',
          );
        }
      } else {
        const consultationKey: AttemptKey = { kind: 'consultation', id: consultation.id };
        await assertNotBlocked(res, consultationKey, now);
        const suffix = await kiosks.aNumberSuffix(kiosk.organizationId, consultation.id);
        if (!suffix || !sameDigits(suffix, input.aNumberDigits)) {
          await attempts.recordFailure(deviceKey, now.getTime());
          await attempts.recordFailure(consultationKey, now.getTime());
          // Says only "not these": never which digit, never the number.
          throw new AppError(ErrorCode.KIOSK_DIGITS_WRONG, 'Those digits do not match this call', 403);
        }
      }
    }
    const response: KioskJoinResponse = {
      ...issueCallTicket(ctx, consultation, seat),
      seatToken: signKioskSeatToken(
        { deviceId: kiosk.deviceId, consultationId: consultation.id },
        consultation.endsAt,
        now,
        ctx.config.jwtSecret,
      ),
    };
    res.json(response);
  });

  /** Which prompts the organisation has recorded for a language; the kiosk prefers them. */
  router.get('/prompts', async (req, res) => {
    const kiosk = await device(req);
    const { language } = parseInput(
      z.object({ language: KioskPromptLanguageSchema }).strict(),
      req.query,
      'prompt query',
    );
    const body: KioskRecordedPrompts = {
      language,
      recorded: await kiosks.recordedPrompts(kiosk.organizationId, language),
    };
    res.json(body);
  });

  router.get('/prompts/:language/:prompt', async (req, res) => {
    const kiosk = await device(req);
    const { language, prompt } = parseInput(KioskPromptParamsSchema, req.params, 'prompt');
    const found = await kiosks.findPrompt(kiosk.organizationId, language, prompt);
    if (!found) throw new NotFoundError('Recorded prompt');
    res.setHeader('Cache-Control', 'private, no-cache');
    res.type(found.mimeType).send(Buffer.from(found.audio));
  });

  return router;
}

function sameDigits(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
