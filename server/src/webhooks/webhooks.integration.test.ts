import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { sessionLogFor, type SessionLog } from '../sessionLog/sessionLogFor.ts';
import { callEvents, seedConsultation, type SeededConsultation } from '../sessionLog/sessionLogFixtures.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { verifyWebhookSignature } from './webhookSignature.ts';

const SECRET = 'case-management-shared-secret-1';

/** A case management system's endpoint: answers with the next scripted status, records every request. */
class Receiver {
  readonly requests: { headers: IncomingHttpHeaders; body: string; receivedAt: number }[] = [];
  statuses: number[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: Math.floor(Date.now() / 1000),
        });
        res.statusCode = this.statuses.shift() ?? 200;
        res.end(res.statusCode >= 500 ? 'database is down' : 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/parley/notes`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let t: TestServer;
let log: SessionLog;
let admin: string;
let staff: string;
let otherAdmin: string;
const receiver = new Receiver();

beforeAll(async () => {
  t = await startTestServer();
  [admin, staff] = await Promise.all([t.login('admin@parley.demo'), t.login('staff@parley.demo')]);
  // The second organisation has no admin in the fixtures; its staff member is promoted for this test.
  await t.database.prisma.user.update({ where: { email: OTHER_ORG_USERS.staff }, data: { role: 'ADMIN' } });
  otherAdmin = await t.login(OTHER_ORG_USERS.staff);
  await receiver.start();
  // The same SessionLog the server created for this database.
  log = sessionLogFor({ db: t.database.prisma, logger: createLogger('silent') });
});
afterAll(async () => {
  await log?.close();
  await receiver.close();
  await t?.close();
});

async function endCall(startsAt: string, on = t): Promise<SeededConsultation> {
  // The SessionLog that server created for its database.
  const serverLog = sessionLogFor({ db: on.database.prisma, logger: createLogger('silent') });
  const c = await seedConsultation(on.database.prisma, {
    caseReference: 'GS-2026-0101',
    interpreterEmail: 'interpreter@parley.demo',
    startsAt: new Date(startsAt),
  });
  for (const event of callEvents(c)) expect(serverLog.writer.record(event)).toBe(true);
  await serverLog.idle();
  return c;
}

const deliveryCount = () => t.database.prisma.webhookDelivery.count();

describe('webhook configuration', () => {
  it('lets only an admin set it, refuses bad input without changing anything, and never shows the secret', async () => {
    const body = { url: receiver.url, secret: SECRET };
    expect((await t.request('PUT', '/api/webhooks', { token: staff, body })).body.error.code).toBe(
      'FORBIDDEN_ROLE',
    );
    expect((await t.request('GET', '/api/webhooks', { token: staff })).status).toBe(403);
    expect((await t.request('DELETE', '/api/webhooks', { token: admin })).body.error.code).toBe(
      'WEBHOOK_NOT_CONFIGURED',
    );
    for (const bad of [
      { ...body, url: 'ftp://cms.example.org/notes' },
      { ...body, url: 'not a url' },
      { ...body, secret: 'short' },
      { ...body, organizationId: '00000000-0000-4000-8000-000000000000' },
      { secret: SECRET },
      // Without a secret (the admin screen's form), the rest is still checked.
      { url: receiver.url, active: 'yes' },
      { url: receiver.url, extra: true },
    ]) {
      const res = await t.request('PUT', '/api/webhooks', { token: admin, body: bad });
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    for (const bad of [
      // Never allowed, whatever the configuration: credentials, and the cloud metadata service.
      { ...body, url: 'https://user:password@cms.example.org/notes' },
      { ...body, url: 'http://169.254.169.254/latest/meta-data/' },
      { ...body, url: 'http://0.0.0.0:5432/' },
    ]) {
      const res = await t.request('PUT', '/api/webhooks', { token: admin, body: bad });
      expect([res.status, res.body.error.code]).toEqual([400, 'WEBHOOK_URL_NOT_ALLOWED']);
    }
    expect(await t.database.prisma.webhookEndpoint.count()).toBe(0);

    const saved = await t.request('PUT', '/api/webhooks', { token: admin, body });
    expect(saved.status).toBe(200);
    expect(saved.body.webhook).toMatchObject({ url: receiver.url, active: true, secretSet: true });
    expect(JSON.stringify(saved.body)).not.toContain(SECRET);
    expect(JSON.stringify((await t.request('GET', '/api/webhooks', { token: admin })).body)).not.toContain(
      SECRET,
    );
    // Another organisation sees neither our webhook nor its deliveries.
    expect((await t.request('GET', '/api/webhooks', { token: otherAdmin })).body.webhook).toBeNull();
  });
});

describe('webhook endpoints refuse', () => {
  it.each([
    ['GET', '/api/webhooks'],
    ['PUT', '/api/webhooks'],
    ['DELETE', '/api/webhooks'],
    ['GET', '/api/webhooks/deliveries'],
  ])('%s %s without a sign-in, and to staff', async (method, path) => {
    const body = method === 'PUT' ? { url: receiver.url, secret: SECRET } : undefined;
    expect((await t.request(method, path, { body })).status).toBe(401);
    const res = await t.request(method, path, { token: staff, body });
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN_ROLE']);
  });

  it.each(['limit=0', 'limit=201', 'limit=ten', 'status=FAILED'])(
    'a bad delivery log query (%s)',
    async (query) => {
      const res = await t.request('GET', `/api/webhooks/deliveries?${query}`, { token: admin });
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    },
  );
});

describe('the case note webhook', () => {
  it('posts a signed case note when a call ends, and retries after a 500', async () => {
    receiver.requests.length = 0;
    receiver.statuses = [500];
    const c = await endCall('2026-03-10T15:00:00Z');

    expect(receiver.requests).toHaveLength(2);
    const [failed, delivered] = receiver.requests as [Receiver['requests'][0], Receiver['requests'][0]];
    for (const request of [failed, delivered]) {
      expect(request.headers['x-parley-event']).toBe('consultation.case_note');
      const signed = verifyWebhookSignature(
        SECRET,
        {
          timestamp: request.headers['x-parley-timestamp'] as string,
          signature: request.headers['x-parley-signature'] as string,
        },
        request.body,
        request.receivedAt,
      );
      expect(signed).toBe(true);
      expect(
        verifyWebhookSignature(
          'some-other-secret-of-24-chars',
          {
            timestamp: request.headers['x-parley-timestamp'] as string,
            signature: request.headers['x-parley-signature'] as string,
          },
          request.body,
          request.receivedAt,
        ),
      ).toBe(false);
    }
    // A retry is the same message: same delivery id, same bytes.
    expect(delivered.headers['x-parley-delivery']).toBe(failed.headers['x-parley-delivery']);
    expect(delivered.body).toBe(failed.body);

    const payload = JSON.parse(delivered.body);
    expect(payload).toMatchObject({
      event: 'consultation.case_note',
      case: { id: c.caseId, reference: 'GS-2026-0101' },
      consultation: { id: c.id, interpreterMinutes: 39, actualEnd: '2026-03-10T15:40:00.000Z' },
      note: { date: '2026-03-10', note_type: 'Remote consultation', is_html: false },
      clio: { data: { type: 'Matter', date: '2026-03-10' } },
    });
    expect(payload.note.subject).toBe('Remote legal consultation (Spanish interpretation), 10 Mar 2026');
    expect(payload.note.body).toContain('Interpreter minutes: 39');
    expect(payload.clio.data.detail).toBe(payload.note.body);

    const deliveries = await t.request('GET', '/api/webhooks/deliveries', { token: admin });
    expect(deliveries.body.items[0]).toMatchObject({
      consultationId: c.id,
      status: 'DELIVERED',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
    });
    expect((await t.request('GET', '/api/webhooks/deliveries', { token: otherAdmin })).body.items).toEqual(
      [],
    );
  });

  it('sends a consultation’s case note once, however often its end is logged', async () => {
    const c = await endCall('2026-03-11T15:00:00Z');
    const before = receiver.requests.length;
    const count = await deliveryCount();
    log.writer.record({
      organizationId: c.organizationId,
      consultationId: c.id,
      type: 'CALL_ENDED',
      payload: { reason: 'EVERYONE_LEFT' },
    });
    await log.idle();
    expect(await deliveryCount()).toBe(count);
    expect(receiver.requests.length).toBe(before);
  });

  it('gives up at once on a 4xx the receiver will keep sending, and logs it', async () => {
    receiver.statuses = [422];
    const before = receiver.requests.length;
    const c = await endCall('2026-03-12T15:00:00Z');
    expect(receiver.requests.length).toBe(before + 1);
    const row = await t.database.prisma.webhookDelivery.findFirstOrThrow({ where: { consultationId: c.id } });
    expect(row).toMatchObject({ status: 'FAILED', attempts: 1, lastStatusCode: 422, lastError: 'HTTP_422' });
  });

  it('sends nothing once the webhook is removed', async () => {
    expect((await t.request('DELETE', '/api/webhooks', { token: admin })).status).toBe(204);
    const before = receiver.requests.length;
    await endCall('2026-03-13T15:00:00Z');
    expect(receiver.requests.length).toBe(before);
    expect(await deliveryCount()).toBe(0);
  });
});

describe('with the production defaults (https only, no private networks)', () => {
  let strict: TestServer;
  let strictAdmin: string;

  beforeAll(async () => {
    strict = await startTestServer({ webhooks: { allowHttp: false, allowPrivateNetworks: false } });
    strictAdmin = await strict.login('admin@parley.demo');
  });
  afterAll(async () => {
    await strict?.close();
  });

  const put = (url: string) =>
    strict.request('PUT', '/api/webhooks', { token: strictAdmin, body: { url, secret: SECRET } });

  it('refuses http, and internal addresses in any spelling, with a stable code, changing nothing', async () => {
    expect((await put('https://cms.example.org/parley/notes')).status).toBe(200);
    const before = await strict.database.prisma.webhookEndpoint.findFirstOrThrow();
    for (const [url, reason] of [
      ['http://cms.example.org/parley/notes', 'the URL must use https'],
      ['https://127.0.0.1:5432/', '127.0.0.1 is a loopback address'],
      ['https://2130706433/', '127.0.0.1 is a loopback address'],
      ['https://0x7f.1/', '127.0.0.1 is a loopback address'],
      ['https://[::ffff:127.0.0.1]/', '[::ffff:7f00:1] is a loopback address'],
      ['https://[::1]/', '[::1] is a loopback address'],
      ['https://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
      ['https://10.0.0.8/', '10.0.0.8 is a private network address'],
      ['https://192.168.1.1/', '192.168.1.1 is a private network address'],
      ['https://100.64.0.1/', '100.64.0.1 is a carrier-grade NAT address'],
      ['https://[fd00::1]/', '[fd00::1] is a unique-local IPv6 address'],
    ] as const) {
      const res = await put(url);
      expect([url, res.status, res.body.error]).toEqual([
        url,
        400,
        {
          code: 'WEBHOOK_URL_NOT_ALLOWED',
          message: `This webhook URL is not allowed: ${reason}`,
          details: [{ path: 'url', message: reason }],
        },
      ]);
    }
    expect(await strict.database.prisma.webhookEndpoint.findMany()).toEqual([before]);
  });

  it('fails a delivery whose host name resolves inside, at once, and logs why', async () => {
    // `localhost` passes the check when saved (names are not resolved then) and resolves to
    // 127.0.0.1 at delivery: the same as a public name whose DNS is changed to point inside.
    const url = `https://localhost:${new URL(receiver.url).port}/parley/notes`;
    expect((await put(url)).status).toBe(200);
    const before = receiver.requests.length;
    const c = await endCall('2026-03-14T15:00:00Z', strict);
    expect(receiver.requests.length).toBe(before);
    const deliveries = await strict.request('GET', '/api/webhooks/deliveries', { token: strictAdmin });
    expect(deliveries.body.items).toEqual([
      expect.objectContaining({
        consultationId: c.id,
        status: 'FAILED',
        attempts: 1,
        lastStatusCode: null,
        lastError: 'ADDRESS_NOT_ALLOWED: localhost resolves to a loopback address',
        deliveredAt: null,
      }),
    ]);
  });
});
