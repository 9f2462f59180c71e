import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { ErrorCode } from '@parley/shared';
import { AppError } from './AppError.ts';

/**
 * Slows down guessing (passwords, device credentials, kiosk PINs): at most `max` failed attempts
 * per client address per window, then RATE_LIMITED with a message saying what to do.
 */
export function attemptLimiter(
  limits: { windowMs: number; max: number },
  message: string,
  /** Where the counts live: several nodes share a Redis store (cluster/); unset, this process's memory. */
  store?: Store,
): RequestHandler {
  return rateLimit({
    ...(store ? { store } : {}),
    windowMs: limits.windowMs,
    limit: limits.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Only failures count: a kiosk rejoining its call after a network blip is not guessing.
    skipSuccessfulRequests: true,
    handler: (_req, res) => {
      res.status(429).json(new AppError(ErrorCode.RATE_LIMITED, message, 429).toBody());
    },
  });
}
