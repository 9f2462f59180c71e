import fc from 'fast-check';

/**
 * Generated bad input for the fuzz suites: values no route should accept where they are sent,
 * biased towards what broke before (dates outside 2000–2099, bad percent-encoding, broken
 * compression) and towards what parsers trip on (huge numbers, deep nesting, prototype keys).
 */

/** Dates a person cannot mean: years 0000 and 9999, year 10000, impossible days, bare garbage. */
export const badDate = fc.constantFrom(
  '0000-01-01',
  '0000-01-01T00:00:00Z',
  '9999-12-31',
  '9999-12-31T23:00',
  '9999-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '2026-02-30',
  '2026-13-01T00:00:00Z',
  '2026-03-09T25:00',
  '1969-12-31T23:59:59Z',
  '2100-01-01T00:00:00Z',
  'Invalid Date',
  'now',
);

const badString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '%', '_', '\\', '\'; DROP TABLE "User"; --', '../../etc/passwd', '%ZZ'),
  fc.integer({ min: 1000, max: 6000 }).map((n) => 'x'.repeat(n)),
  badDate,
);

const badNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, -0),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** One JSON value of any type, mostly wrong for wherever it lands. */
export const badScalar: fc.Arbitrary<unknown> = fc.oneof(
  badString,
  badNumber,
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
);

/** Field names the API's schemas use, so junk lands in fields that are actually read. */
export const FIELD_NAMES = [
  'id',
  'caseId',
  'attorneyId',
  'interpreterId',
  'facilityId',
  'consultationId',
  'clientId',
  'startsAt',
  'endsAt',
  'startsAtLocal',
  'endsAtLocal',
  'durationMinutes',
  'stepMinutes',
  'date',
  'from',
  'to',
  'timeZone',
  'weekly',
  'windows',
  'available',
  'note',
  'reason',
  'email',
  'password',
  'newPassword',
  'currentPassword',
  'name',
  'firstName',
  'lastName',
  'aNumber',
  'code',
  'booths',
  'language',
  'languages',
  'mode',
  'status',
  'role',
  'url',
  'secret',
  'active',
  'token',
  'credential',
  'pin',
  'digits',
  'q',
  'limit',
  'offset',
  'label',
  'title',
  'reference',
  'audioBase64',
  'mimeType',
  '__proto__',
  'constructor',
] as const;

const junkValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    badScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A JSON request body: junk in the API's own field names, a value of the wrong type, or deep nesting. */
export const badJsonBody: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELD_NAMES), junkValue, { minKeys: 1, maxKeys: 8 }),
  badScalar,
  fc.array(junkValue, { maxLength: 5 }),
  fc.integer({ min: 50, max: 2000 }).map((depth) => {
    let value: unknown = 'deep';
    for (let i = 0; i < depth; i++) value = { weekly: [value] };
    return value;
  }),
);

/** A body that is not what its headers say it is. */
export interface RawBody {
  contentType: string;
  contentEncoding?: string;
  body: string | Uint8Array;
}

export const badRawBody: fc.Arbitrary<RawBody> = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,', 'nul', '{"a":1}}', '\u0000', '"unterminated').map((body) => ({
    contentType: 'application/json',
    body,
  })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).chain((bytes) =>
    fc.constantFrom('gzip', 'deflate', 'br').map((contentEncoding) => ({
      contentType: 'application/json',
      contentEncoding,
      body: bytes,
    })),
  ),
  fc.constantFrom('compress', 'x-unknown', 'gzip, gzip, gzip').map((contentEncoding) => ({
    contentType: 'application/json',
    contentEncoding,
    body: '{}',
  })),
  fc
    .constantFrom('text/plain', 'application/xml', 'application/json; charset=latin9', 'multipart/form-data')
    .map((contentType) => ({ contentType, body: '{"email":"a@b.c"}' })),
);

/** A path parameter that names nothing: wrong shape, unknown UUID, bad percent-encoding. */
export const badPathParam: fc.Arbitrary<string> = fc.oneof(
  fc.uuid().map((id) => encodeURIComponent(id)),
  fc.string({ minLength: 1, maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom('%ZZ', '%E0%A4%A', '%', '%2', '%00', '..%2F..', '%C0%AF', 'x'.repeat(300), '0', '-1'),
  badDate.map((d) => encodeURIComponent(d)),
);

/** A query string of junk in the API's own parameter names, repeated keys included (arrays). */
export const badQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom(...FIELD_NAMES, 'format', 'kind', 'actorId', 'action'),
      fc.oneof(
        badString.map((s) => encodeURIComponent(s)),
        badDate.map((d) => encodeURIComponent(d)),
        fc.constantFrom('%ZZ', '%', '1e999', '-1', '[]', '{}'),
      ),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
