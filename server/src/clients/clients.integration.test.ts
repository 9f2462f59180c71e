import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';

let t: TestServer;
let staff: string;
let attorney: string;
let interpreter: string;
let otherStaff: string;

beforeAll(async () => {
  t = await startTestServer();
  [staff, attorney, interpreter, otherStaff] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login('interpreter@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
});
afterAll(async () => {
  await t?.close();
});

const clientCount = () => t.database.prisma.client.count();

const validClient = {
  firstName: 'Ana',
  lastName: 'Quispe',
  aNumber: 'A-099-887-766',
  preferredLanguage: 'es',
};

describe('every protected route', () => {
  const routes: [string, string][] = [
    ['GET', '/api/auth/me'],
    ['GET', '/api/facilities'],
    ['GET', '/api/facilities/00000000-0000-4000-8000-000000000000'],
    ['GET', '/api/clients'],
    ['GET', '/api/clients/00000000-0000-4000-8000-000000000000'],
    ['POST', '/api/clients'],
    ['GET', '/api/cases'],
  ];
  it.each(routes)('%s %s needs a signed-in user', async (method, path) => {
    const res = await t.request(method, path, method === 'POST' ? { body: validClient } : {});
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('clients', () => {
  it('lists the organisation’s clients with pagination and search', async () => {
    const page = await t.request('GET', '/api/clients?limit=5&offset=0', { token: staff });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(5);
    expect(page.body.total).toBe(12);
    const next = await t.request('GET', '/api/clients?limit=5&offset=10', { token: staff });
    expect(next.body.items).toHaveLength(2);
    const byANumber = await t.request('GET', '/api/clients?q=A-214-550', { token: staff });
    expect(byANumber.body.items.map((c: { lastName: string }) => c.lastName)).toEqual(['Joseph']);
  });

  it.each([['limit=0'], ['limit=1000'], ['offset=-1'], ['facilityId=not-a-uuid']])(
    'refuses a bad query (%s)',
    async (query) => {
      const res = await t.request('GET', `/api/clients?${query}`, { token: staff });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    },
  );

  it('lets only staff read and create clients', async () => {
    for (const token of [attorney, interpreter]) {
      const list = await t.request('GET', '/api/clients', { token });
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe('FORBIDDEN_ROLE');
      const before = await clientCount();
      const create = await t.request('POST', '/api/clients', { token, body: validClient });
      expect(create.status).toBe(403);
      expect(await clientCount()).toBe(before);
    }
  });

  it('creates a client with a normalised A-Number and refuses a duplicate', async () => {
    const created = await t.request('POST', '/api/clients', { token: staff, body: validClient });
    expect(created.status).toBe(201);
    expect(created.body.client.aNumber).toBe('099887766');
    const before = await clientCount();
    const duplicate = await t.request('POST', '/api/clients', {
      token: staff,
      body: { ...validClient, aNumber: '099887766' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('A_NUMBER_TAKEN');
    expect(await clientCount()).toBe(before);
  });

  it.each([
    ['an 7-digit A-Number', { aNumber: '1234567' }, 'aNumber'],
    ['letters in the A-Number', { aNumber: 'A12345678X' }, 'aNumber'],
    ['an unknown language', { preferredLanguage: 'xx' }, 'preferredLanguage'],
    ['an empty name', { firstName: '  ' }, 'firstName'],
    ['a wrong-typed facility', { facilityId: 7 }, 'facilityId'],
  ])('refuses %s and changes nothing', async (_name, patch, field) => {
    const before = await clientCount();
    const res = await t.request('POST', '/api/clients', { token: staff, body: { ...validClient, ...patch } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await clientCount()).toBe(before);
  });

  it('keeps organisations apart', async () => {
    const ours = await t.request('GET', '/api/clients?limit=1', { token: staff });
    const ourClientId = ours.body.items[0].id as string;
    const theirs = await t.request('GET', '/api/clients', { token: otherStaff });
    expect(theirs.body.total).toBe(0);
    const peek = await t.request('GET', `/api/clients/${ourClientId}`, { token: otherStaff });
    expect(peek.status).toBe(404);
    expect(peek.body.error.code).toBe('NOT_FOUND');

    const otherFacility = await t.database.prisma.facility.findFirstOrThrow({ where: { code: 'OTHER' } });
    const before = await clientCount();
    const res = await t.request('POST', '/api/clients', {
      token: staff,
      body: { ...validClient, aNumber: '111222333', facilityId: otherFacility.id },
    });
    expect(res.status).toBe(404);
    expect(await clientCount()).toBe(before);
  });
});

describe('facilities and cases', () => {
  it('shows each organisation only its own facilities', async () => {
    const ours = await t.request('GET', '/api/facilities', { token: interpreter });
    expect(ours.body.items.map((f: { code: string }) => f.code)).toContain('LASALLE');
    expect(ours.body.items.map((f: { code: string }) => f.code)).not.toContain('OTHER');
    const otherFacility = await t.database.prisma.facility.findFirstOrThrow({ where: { code: 'OTHER' } });
    expect((await t.request('GET', `/api/facilities/${otherFacility.id}`, { token: staff })).status).toBe(
      404,
    );
    expect((await t.request('GET', '/api/facilities/123', { token: staff })).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('shows attorneys only their assigned cases, and interpreters none', async () => {
    const all = await t.request('GET', '/api/cases?limit=100', { token: staff });
    const mine = await t.request('GET', '/api/cases?limit=100', { token: attorney });
    expect(all.body.total).toBe(12);
    expect(mine.body.total).toBe(6);
    for (const c of mine.body.items as { attorneys: { name: string }[] }[]) {
      expect(c.attorneys.map((a) => a.name)).toContain('Grace Okafor');
    }
    const refused = await t.request('GET', '/api/cases', { token: interpreter });
    expect(refused.status).toBe(403);
    expect((await t.request('GET', '/api/cases?status=MAYBE', { token: staff })).status).toBe(400);
  });
});
