import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@parley/shared';
import { createApp } from '../../app.ts';
import { demoKioskCredential } from '../../db/demoData.ts';
import { createLogger } from '../../logger.ts';
import { sessionLogFor } from '../../sessionLog/sessionLogFor.ts';
import { startTestServer, type TestServer } from '../testServer.ts';
import { badJsonBody, badPathParam, badQuery, badRawBody, type RawBody } from './badInput.ts';
import { snapshotDatabase } from './dbSnapshot.ts';
import { listRoutes, type RouteEntry } from './routeTable.ts';

/**
 * Property-based: generated bad input at every REST route, as every kind of caller. Whatever
 * comes in, the answer is never a 5xx; a refusal is a 4xx carrying a code from shared/errors.ts and
 * leaves the database exactly as it was; and the server still answers afterwards.
 *
 * Bounded for CI: FUZZ_RUNS runs per route (default 16) from a fixed seed (FUZZ_SEED, default
 * below). fast-check prints the seed and the shrunk counterexample of a failure; rerun it with
 * FUZZ_SEED=<seed>.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 16);
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

type CallerName = 'anonymous' | 'ADMIN' | 'STAFF' | 'ATTORNEY' | 'INTERPRETER' | 'KIOSK';
const CALLERS: CallerName[] = ['anonymous', 'ADMIN', 'STAFF', 'ATTORNEY', 'INTERPRETER', 'KIOSK'];

let t: TestServer;
let routes: RouteEntry[];
const tokens = new Map<CallerName, string>();
let tokensStale = false;

async function signInEveryone(): Promise<void> {
  const [admin, staff, attorney, interpreter] = await Promise.all([
    t.login('admin@parley.demo'),
    t.login('staff@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login('interpreter@parley.demo'),
  ]);
  tokens.set('ADMIN', admin);
  tokens.set('STAFF', staff);
  tokens.set('ATTORNEY', attorney);
  tokens.set('INTERPRETER', interpreter);
  const kiosk = await t.request('POST', '/api/kiosk/session', {
    body: { credential: demoKioskCredential('ADAMS') },
  });
  expect(kiosk.status).toBe(200);
  tokens.set('KIOSK', kiosk.body.token as string);
  tokensStale = false;
}

interface BadRequest {
  caller: CallerName;
  params: string[];
  query: string | null;
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; raw: RawBody };
}

function badRequest(route: RouteEntry): fc.Arbitrary<BadRequest> {
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
  return fc.record({
    caller: fc.constantFrom(...CALLERS),
    params: fc.array(badPathParam, { minLength: route.params.length, maxLength: route.params.length }),
    query: fc.option(badQuery, { nil: null, freq: 2 }),
    body: hasBody
      ? fc.oneof(
          { weight: 3, arbitrary: badJsonBody.map((value) => ({ kind: 'json' as const, value })) },
          { weight: 1, arbitrary: badRawBody.map((raw) => ({ kind: 'raw' as const, raw })) },
        )
      : fc.constant({ kind: 'none' as const }),
  });
}

async function send(route: RouteEntry, input: BadRequest): Promise<{ status: number; body: any }> {
  let index = 0;
  const path = route.path.replace(/:[A-Za-z0-9_]+/g, () => input.params[index++] ?? 'x');
  const headers: Record<string, string> = {};
  const token = tokens.get(input.caller);
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | Uint8Array | undefined;
  if (input.body.kind === 'json') {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(input.body.value) ?? 'null';
  } else if (input.body.kind === 'raw') {
    headers['Content-Type'] = input.body.raw.contentType;
    if (input.body.raw.contentEncoding) headers['Content-Encoding'] = input.body.raw.contentEncoding;
    body = input.body.raw.body;
  }
  const res = await fetch(`${t.url}${path}${input.query ? `?${input.query}` : ''}`, {
    method: route.method,
    headers,
    body,
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a calendar feed, a CSV): keep the text.
  }
  return { status: res.status, body: parsed };
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}

beforeAll(async () => {
  t = await startTestServer();
  // Webhook deliveries resumed at start-up write on their own time: let them finish first.
  await sessionLogFor({ db: t.database.prisma, logger: createLogger('silent') }).idle();
  await signInEveryone();
  // The same app startServer builds, read for its routes only (it serves nothing).
  const app = createApp({ db: t.database.prisma, config: t.config, logger: createLogger('silent') });
  routes = listRoutes(app).filter((r) => r.path.startsWith('/api/'));
});

afterAll(async () => {
  await t?.close();
});

describe('every REST route under generated bad input', () => {
  it('finds the routes in the app’s router stack', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    // A few that must be there, from different routers: if these go missing the walk is broken.
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'GET /api/clients/:id',
        'POST /api/consultations/:id/reschedule',
        'GET /api/calendar/feeds/:token.ics',
        'POST /api/interpreters/me/availability/exceptions',
        'GET /api/exports/consultations.:format',
        'POST /api/kiosk/join',
      ]),
    );
    expect(routes.length).toBeGreaterThan(40);
  });

  it('answers a 4xx with a stable code, changes nothing, and never a 5xx', { timeout: 600_000 }, async () => {
    const db = t.database.prisma;
    let before = await snapshotDatabase(db);
    /** How often each answer came: the input has to get past sign-in and roles to be worth much. */
    const answers = new Map<string, number>();
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(badRequest(route), async (input) => {
          if (tokensStale) {
            // Signing in writes sessions and refresh tokens: the baseline is taken after it.
            await signInEveryone();
            before = await snapshotDatabase(db);
          }
          const res = await send(route, input);
          const after = await snapshotDatabase(db);
          const where = `${route.method} ${route.path} as ${input.caller} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
          expect(res.status, where).toBeLessThan(500);
          const answer = res.status >= 400 ? String(res.body?.error?.code) : 'success';
          answers.set(answer, (answers.get(answer) ?? 0) + 1);
          if (res.status >= 400) {
            expect(KNOWN_CODES.has(res.body?.error?.code), where).toBe(true);
            expect(changedTables(before, after), `${where}: the database changed`).toEqual([]);
          } else if (route.method !== 'GET') {
            // The route ignored the junk (it takes no input, like signing out): a real write
            // happened, and it may have been the caller's own session.
            tokensStale = true;
          }
          before = after;
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true, includeErrorInReport: true },
      );
    }
    if (process.env.FUZZ_REPORT) process.stderr.write(`${JSON.stringify(Object.fromEntries(answers))}\n`);
    // The generated input reached every layer: body reading, routing, sign-in, roles, validation, lookups.
    expect([...answers.keys()]).toEqual(
      expect.arrayContaining([
        ErrorCode.MALFORMED_JSON,
        ErrorCode.MALFORMED_BODY,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        ErrorCode.MALFORMED_URI,
        ErrorCode.UNAUTHENTICATED,
        ErrorCode.FORBIDDEN_ROLE,
        ErrorCode.VALIDATION_FAILED,
        ErrorCode.NOT_FOUND,
      ]),
    );
    const health = await t.request('GET', '/api/health');
    expect(health.status).toBe(200);
    // A real request still works after all that.
    expect((await t.request('GET', '/api/facilities', { token: tokens.get('STAFF') })).status).toBe(200);
  });
});
