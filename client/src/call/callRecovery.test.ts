import { describe, expect, it } from 'vitest';
import { NO_ANSWER, recoveryAfter } from './callRecovery.ts';

describe('recoveryAfter', () => {
  it('a join: retries what passes, starts a new connection when this one is in an unknown state', () => {
    expect(recoveryAfter('join', 'CALL_ENDED')).toBe('ended');
    for (const code of ['TOKEN_EXPIRED', 'TOKEN_INVALID', 'RATE_LIMITED', 'INTERNAL', 'TIMEOUT', undefined]) {
      expect(recoveryAfter('join', code), String(code)).toBe('retry');
    }
    // The server may have seated this connection without the answer arriving: never retry on it.
    expect(recoveryAfter('join', NO_ANSWER)).toBe('newConnection');
    expect(recoveryAfter('join', 'CONFLICT')).toBe('newConnection');
    for (const code of ['NOT_FOUND', 'NOT_IN_CONSULTATION', 'FORBIDDEN_ROLE', 'MEDIA_FAILED']) {
      expect(recoveryAfter('join', code), code).toBe('failed');
    }
  });

  it('a media restart: asks again on the same connection, or joins afresh when the place is gone', () => {
    expect(recoveryAfter('restartMedia', 'CALL_ENDED')).toBe('ended');
    for (const code of ['TIMEOUT', 'INTERNAL', 'MEDIA_FAILED', NO_ANSWER, undefined]) {
      expect(recoveryAfter('restartMedia', code), String(code)).toBe('retry');
    }
    expect(recoveryAfter('restartMedia', 'NOT_IN_CONSULTATION')).toBe('newConnection');
    expect(recoveryAfter('restartMedia', 'FORBIDDEN_ROLE')).toBe('failed');
    expect(recoveryAfter('restartMedia', 'VALIDATION_FAILED')).toBe('failed');
  });
});
