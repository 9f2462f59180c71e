import { pino, type Logger } from 'pino';

export type { Logger };

/** The root logger; components take `logger.child({ component })`. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'parley' },
    redact: {
      paths: ['req.headers.authorization', 'password', '*.password', 'refreshToken', '*.refreshToken'],
      censor: '[redacted]',
    },
  });
}
