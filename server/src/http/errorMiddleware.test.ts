import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@parley/shared';
import { AppError } from './AppError.ts';
import { toAppError } from './errorMiddleware.ts';

/** What body-parser raises (http-errors): a status, `expose` for the caller's mistakes, a type. */
function httpError(status: number, props: Record<string, unknown> = {}): Error {
  return Object.assign(new Error('library message with internals'), {
    status,
    expose: status < 500,
    ...props,
  });
}

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const err = new AppError(ErrorCode.CASE_CLOSED, 'The case is closed', 409);
    expect(toAppError(err)).toBe(err);
  });

  it.each([
    [httpError(400, { type: 'entity.parse.failed' }), 400, ErrorCode.MALFORMED_JSON],
    [httpError(413, { type: 'entity.too.large' }), 413, ErrorCode.PAYLOAD_TOO_LARGE],
    [httpError(415, { type: 'encoding.unsupported' }), 415, ErrorCode.UNSUPPORTED_ENCODING],
    [httpError(415, { type: 'charset.unsupported' }), 415, ErrorCode.UNSUPPORTED_ENCODING],
    // A zlib error that body-parser wrapped: no type, status 400.
    [httpError(400, { code: 'Z_DATA_ERROR', errno: -3 }), 400, ErrorCode.MALFORMED_BODY],
    [httpError(400, { type: 'request.aborted' }), 400, ErrorCode.MALFORMED_BODY],
    [httpError(413), 413, ErrorCode.PAYLOAD_TOO_LARGE],
    [httpError(415), 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE],
    [
      Object.assign(new URIError("Failed to decode param '%ZZ'"), { status: 400 }),
      400,
      ErrorCode.MALFORMED_URI,
    ],
  ])('maps the caller’s mistake %# to %i %s, in words of our own', (err, status, code) => {
    const mapped = toAppError(err);
    expect({ status: mapped.status, code: mapped.code }).toEqual({ status, code });
    expect(mapped.message).not.toContain('internals');
  });

  it('keeps a real failure a 500 that tells nothing about the inside', () => {
    for (const err of [
      new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'),
      new RangeError('Invalid time value'),
      httpError(500, { type: 'stream.not.readable' }),
      // A status without http-errors' `expose`: not the caller's mistake.
      Object.assign(new Error('upstream said 404'), { status: 404 }),
      'a thrown string',
      undefined,
    ]) {
      const mapped = toAppError(err);
      expect(mapped.status).toBe(500);
      expect(mapped.code).toBe(ErrorCode.INTERNAL);
      expect(JSON.stringify(mapped.toBody())).not.toMatch(/ECONNREFUSED|hunter2|Invalid time|upstream/);
    }
  });
});
