import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { sessionLogFor } from '../sessionLog/sessionLogFor.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { verifyStandardWebhook, verifyWebhookSignature } from '../webhooks/webhookSignature.ts';

/** A case system's endpoint: answers with the next scripted status and keeps every request. */
class Receiver {
  readonly requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  statuses: number[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = this.statuses.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/parley`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const receiver = new Receiver();
let t: TestServer;
let admin: string;
let staff: string;
let otherAdmin: string;
let facilityId: string;

beforeAll(async () => {
  t = await startTestServer();
  await receiver.start();
  await t.database.prisma.user.update({ where: { email: OTHER_ORG_USERS.staff }, data: { role: 'ADMIN' } });
  [admin, staff, otherAdmin] = await Promise.all([
    t.login('admin@parley.demo'),
    t.login('staff@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  const created = await t.request('POST', '/api/facilities', {
    token: admin,
    body: {
      name: 'Prairieland Detention Center',
      code: 'PRAIRIE',
      timeZone: 'America/Chicago',
      booths: 2,
      minLeadTimeMinutes: 1440,
      maxCallMinutes: 60,
      dailyLimitPerAttorneyClient: 1,
      windows: [{ weekday: 1, startMinute: 480, endMinute: 960 }],
    },
  });
  expect(created.status).toBe(201);
  facilityId = created.body.facility.id;
});
afterAll(async () => {
  await sessionLogFor({ db: t.database.prisma, logger: createLogger('silent') }).close();
  await receiver.close();
  await t?.close();
});

const sessionLog = () => sessionLogFor({ db: t.database.prisma, logger: createLogger('silent') });

describe('invites without a mail server', () => {
  it('are not mailed, and the link to copy works', async () => {
    const res = await t.request('POST', '/api/users/invites', {
      token: admin,
      body: { email: 'copied@parley.test', name: 'Copied Link', role: 'STAFF' },
    });
    expect(res.status).toBe(201);
    expect(res.body.emailed).toBe(false);
    const token = new URL(res.body.link).searchParams.get('token');
    const done = await t.request('POST', '/api/account/sign-up', {
      body: { token, name: 'Copied Link', password: 'a long enough password' },
    });
    expect(done.status).toBe(201);
    await t.login('copied@parley.test', 'a long enough password');
  });
});

describe('facility rules', () => {
  it('a windows-only change replaces the weekly windows (the editor saves only them)', async () => {
    const windows = [
      { weekday: 1, startMinute: 480, endMinute: 960 },
      { weekday: 3, startMinute: 780, endMinute: 1050 },
    ];
    const res = await t.request('PATCH', `/api/facilities/${facilityId}`, {
      token: admin,
      body: { windows },
    });
    expect(res.status).toBe(200);
    expect(res.body.facility.windows).toEqual(windows);
    const foreign = await t.request('PATCH', `/api/facilities/${facilityId}`, {
      token: otherAdmin,
      body: { windows: [] },
    });
    expect(foreign.status).toBe(404);
    const read = await t.request('GET', `/api/facilities/${facilityId}/rules`, { token: admin });
    expect(read.body.facility.windows).toEqual(windows);
  });
});

describe('kiosk device labels', () => {
  it('an admin relabels a device in use (audited); bad input, staff, other organisations and revoked devices change nothing', async () => {
    const made = await t.request('POST', `/api/facilities/${facilityId}/kiosk-devices`, {
      token: admin,
      body: { label: 'Tablet 1' },
    });
    expect(made.status).toBe(201);
    const deviceId: string = made.body.device.id;
    const path = `/api/facilities/${facilityId}/kiosk-devices/${deviceId}`;
    const label = async () =>
      (await t.database.prisma.kioskDevice.findUniqueOrThrow({ where: { id: deviceId } })).label;

    const renamed = await t.request('PATCH', path, { token: admin, body: { label: '  Visiting room B  ' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.facility.kioskDevices.find((d: { id: string }) => d.id === deviceId).label).toBe(
      'Visiting room B',
    );

    for (const body of [{}, { label: '' }, { label: 'x'.repeat(101) }, { label: 'Ok', revokedAt: null }]) {
      const res = await t.request('PATCH', path, { token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.request('PATCH', path, { token: staff, body: { label: 'Staff' } })).body.error.code).toBe(
      'FORBIDDEN_ROLE',
    );
    expect((await t.request('PATCH', path, { token: otherAdmin, body: { label: 'Other' } })).status).toBe(
      404,
    );
    const unknown = `/api/facilities/${facilityId}/kiosk-devices/00000000-0000-4000-8000-000000000000`;
    expect((await t.request('PATCH', unknown, { token: admin, body: { label: 'None' } })).status).toBe(404);
    expect(await label()).toBe('Visiting room B');

    expect((await t.request('DELETE', path, { token: admin })).status).toBe(200);
    expect((await t.request('PATCH', path, { token: admin, body: { label: 'Back' } })).status).toBe(404);
    expect(await label()).toBe('Visiting room B');

    const audit = await t.request('GET', '/api/admin/audit?kind=ADMIN&action=KIOSK_RENAMED', {
      token: admin,
    });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].details).toMatchObject({
      label: 'Visiting room B',
      previousLabel: 'Tablet 1',
    });
  });
});

describe('kiosk settings and recorded prompts', () => {
  it('are audited when an admin changes them, and not when a change is refused', async () => {
    const count = async (action: string) =>
      (await t.request('GET', `/api/admin/audit?kind=ADMIN&action=${action}`, { token: admin })).body.total;
    const wav = Buffer.alloc(64);
    wav.write('RIFF', 0, 'ascii');
    wav.write('WAVEfmt ', 8, 'ascii');
    const upload = { mimeType: 'audio/wav', audioBase64: wav.toString('base64') };

    expect(
      (await t.request('PUT', '/api/kiosk/admin/settings', { token: admin, body: { showInitials: true } }))
        .status,
    ).toBe(200);
    expect(
      (await t.request('PUT', '/api/kiosk/admin/settings', { token: staff, body: { showInitials: false } }))
        .status,
    ).toBe(403);
    expect(
      (await t.request('PUT', '/api/kiosk/admin/settings', { token: admin, body: { showInitials: 'yes' } }))
        .status,
    ).toBe(400);
    expect(await count('KIOSK_SETTINGS_UPDATED')).toBe(1);

    expect(
      (await t.request('PUT', '/api/kiosk/admin/prompts/mam/chooseCall', { token: admin, body: upload }))
        .status,
    ).toBe(201);
    const notAudio = {
      mimeType: 'audio/wav',
      audioBase64: Buffer.from('not audio at all').toString('base64'),
    };
    expect(
      (await t.request('PUT', '/api/kiosk/admin/prompts/mam/enterDigits', { token: admin, body: notAudio }))
        .status,
    ).toBe(415);
    expect(await count('KIOSK_PROMPT_RECORDED')).toBe(1);
    expect(
      (await t.request('DELETE', '/api/kiosk/admin/prompts/mam/chooseCall', { token: admin })).status,
    ).toBe(204);
    expect(
      (await t.request('DELETE', '/api/kiosk/admin/prompts/mam/chooseCall', { token: admin })).status,
    ).toBe(404);
    expect(await count('KIOSK_PROMPT_REMOVED')).toBe(1);
    const recorded = await t.request('GET', '/api/admin/audit?kind=ADMIN&action=KIOSK_PROMPT_RECORDED', {
      token: admin,
    });
    expect(recorded.body.items[0]).toMatchObject({
      details: { label: 'mam/chooseCall', mimeType: 'audio/wav', bytes: 64 },
    });
    expect(
      (
        await t.request('GET', '/api/admin/audit?kind=ADMIN&action=KIOSK_SETTINGS_UPDATED', {
          token: otherAdmin,
        })
      ).body.total,
    ).toBe(0);
  });
});

describe('facility scheduling contact', () => {
  const contact = {
    contactName: 'Lt. R. Moreno',
    contactEmail: 'Visits@Prairie.example',
    contactPhone: '+19725550100',
  };

  it('admins set it, staff read it, bad input and other organisations change nothing', async () => {
    expect(
      (await t.request('PUT', `/api/facilities/${facilityId}/contact`, { token: staff, body: contact })).body
        .error.code,
    ).toBe('FORBIDDEN_ROLE');
    for (const bad of [
      { ...contact, contactEmail: 'not mail' },
      { ...contact, contactPhone: '972-555-0100' },
      { ...contact, extra: 1 },
    ]) {
      const res = await t.request('PUT', `/api/facilities/${facilityId}/contact`, {
        token: admin,
        body: bad,
      });
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const foreign = await t.request('PUT', `/api/facilities/${facilityId}/contact`, {
      token: otherAdmin,
      body: contact,
    });
    expect(foreign.status).toBe(404);
    expect(
      (await t.request('GET', `/api/facilities/${facilityId}/contact`, { token: staff })).body.contact,
    ).toEqual({
      contactName: '',
      contactEmail: '',
      contactPhone: '',
      // Facilities confirm their calls unless an admin turns it off (issue 16).
      confirmationRequired: true,
    });

    const saved = await t.request('PUT', `/api/facilities/${facilityId}/contact`, {
      token: admin,
      body: contact,
    });
    expect(saved.status).toBe(200);
    const read = await t.request('GET', `/api/facilities/${facilityId}/contact`, { token: staff });
    expect(read.body.contact).toEqual({
      ...contact,
      contactEmail: 'visits@prairie.example',
      confirmationRequired: true,
    });
  });
});

describe('the case-system connection from the admin screen', () => {
  let secret: string;

  it('makes the signing secret on first save and shows it only then', async () => {
    const saved = await t.request('PUT', '/api/webhooks', { token: admin, body: { url: receiver.url } });
    expect(saved.status).toBe(200);
    secret = saved.body.secret;
    expect(secret).toMatch(/^whsec_/);
    const again = await t.request('PUT', '/api/webhooks', { token: admin, body: { url: receiver.url } });
    expect(again.body.secret).toBeUndefined();
    const stored = await t.database.prisma.webhookEndpoint.findFirstOrThrow({ select: { secret: true } });
    expect(stored.secret).toBe(secret);
    expect(JSON.stringify((await t.request('GET', '/api/webhooks', { token: admin })).body)).not.toContain(
      secret,
    );
  });

  it('sends a signed test event with Standard Webhooks and the older headers, logged as delivered', async () => {
    expect((await t.request('POST', '/api/webhooks/test', { token: staff, body: {} })).status).toBe(403);
    expect(
      (await t.request('POST', '/api/webhooks/test', { token: otherAdmin, body: {} })).body.error.code,
    ).toBe('WEBHOOK_NOT_CONFIGURED');
    const junk = await t.request('POST', '/api/webhooks/test', { token: admin, body: { url: 'http://x' } });
    expect([junk.status, junk.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await t.database.prisma.webhookDelivery.count()).toBe(0);
    const sent = await t.request('POST', '/api/webhooks/test', { token: admin, body: {} });
    expect(sent.status).toBe(202);
    await sessionLog().idle();
    const request = receiver.requests.at(-1)!;
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({ event: 'webhook.test', deliveryId: sent.body.deliveryId });
    expect(request.headers['webhook-id']).toBe(sent.body.deliveryId);
    const now = Math.floor(Date.now() / 1000);
    const standard = {
      id: request.headers['webhook-id'] as string,
      timestamp: request.headers['webhook-timestamp'] as string,
      signature: request.headers['webhook-signature'] as string,
    };
    expect(verifyStandardWebhook(secret, standard, request.body, now)).toBe(true);
    const legacy = {
      timestamp: request.headers['x-parley-timestamp'] as string,
      signature: request.headers['x-parley-signature'] as string,
    };
    expect(verifyWebhookSignature(secret, legacy, request.body, now)).toBe(true);
    const log = await t.request('GET', '/api/webhooks/deliveries', { token: admin });
    expect(log.body.items[0]).toMatchObject({
      id: sent.body.deliveryId,
      consultationId: null,
      event: 'webhook.test',
      status: 'DELIVERED',
      attempts: 1,
      lastStatusCode: 200,
    });
  });

  it('retries a failed delivery with the same message when asked, and only a failed one', async () => {
    receiver.statuses = [410];
    const sent = await t.request('POST', '/api/webhooks/test', { token: admin, body: {} });
    await sessionLog().idle();
    const failed = (await t.request('GET', '/api/webhooks/deliveries', { token: admin })).body.items.find(
      (d: { id: string }) => d.id === sent.body.deliveryId,
    );
    expect(failed).toMatchObject({ status: 'FAILED', lastError: 'HTTP_410', attempts: 1 });
    const firstBody = receiver.requests.at(-1)!.body;

    expect(
      (
        await t.request('POST', `/api/webhooks/deliveries/${sent.body.deliveryId}/retry`, {
          token: otherAdmin,
          body: {},
        })
      ).status,
    ).toBe(404);
    const retry = await t.request('POST', `/api/webhooks/deliveries/${sent.body.deliveryId}/retry`, {
      token: admin,
      body: {},
    });
    expect(retry.status).toBe(202);
    await sessionLog().idle();
    expect(receiver.requests.at(-1)!.body).toBe(firstBody);
    expect(receiver.requests.at(-1)!.headers['webhook-id']).toBe(sent.body.deliveryId);
    const delivered = (await t.request('GET', '/api/webhooks/deliveries', { token: admin })).body.items.find(
      (d: { id: string }) => d.id === sent.body.deliveryId,
    );
    expect(delivered).toMatchObject({ status: 'DELIVERED', attempts: 2, lastError: null });
    const twice = await t.request('POST', `/api/webhooks/deliveries/${sent.body.deliveryId}/retry`, {
      token: admin,
      body: {},
    });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'DELIVERY_NOT_RETRYABLE']);
    const bad = await t.request('POST', '/api/webhooks/deliveries/not-an-id/retry', {
      token: admin,
      body: {},
    });
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('rotates the secret: shown once, and the next message is signed with it', async () => {
    expect(
      (await t.request('POST', '/api/webhooks/secret', { token: otherAdmin, body: {} })).body.error.code,
    ).toBe('WEBHOOK_NOT_CONFIGURED');
    const rotated = await t.request('POST', '/api/webhooks/secret', { token: admin, body: {} });
    expect(rotated.status).toBe(201);
    expect(rotated.body.secret).not.toBe(secret);
    await t.request('POST', '/api/webhooks/test', { token: admin, body: {} });
    await sessionLog().idle();
    const request = receiver.requests.at(-1)!;
    const headers = {
      id: request.headers['webhook-id'] as string,
      timestamp: request.headers['webhook-timestamp'] as string,
      signature: request.headers['webhook-signature'] as string,
    };
    const now = Math.floor(Date.now() / 1000);
    expect(verifyStandardWebhook(rotated.body.secret, headers, request.body, now)).toBe(true);
    expect(verifyStandardWebhook(secret, headers, request.body, now)).toBe(false);
  });
});

describe('the audit screen', () => {
  it('lists admin changes and case reads, filtered and paged, and exports them as CSV', async () => {
    // A read of a case record is logged by the case routes.
    const cases = await t.request('GET', '/api/cases?limit=1', { token: staff });
    await t.request('GET', `/api/cases/${cases.body.items[0].id}`, { token: staff });

    const all = await t.request('GET', '/api/admin/audit?limit=100', { token: admin });
    expect(all.status).toBe(200);
    const kinds = new Set(all.body.items.map((e: { kind: string }) => e.kind));
    expect(kinds).toEqual(new Set(['ADMIN', 'CASE_ACCESS']));
    const actions = all.body.items.map((e: { action: string }) => e.action);
    for (const action of [
      'FACILITY_CREATED',
      'FACILITY_CONTACT_UPDATED',
      'WEBHOOK_SAVED',
      'WEBHOOK_TEST_SENT',
      'WEBHOOK_DELIVERY_RETRIED',
      'WEBHOOK_SECRET_ROTATED',
      'CASE_RECORD',
    ]) {
      expect(actions).toContain(action);
    }
    expect(JSON.stringify(all.body)).not.toContain('whsec_');
    const times = all.body.items.map((e: { occurredAt: string }) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    const page = await t.request('GET', '/api/admin/audit?limit=2&offset=1', { token: admin });
    expect(page.body).toMatchObject({ total: all.body.total, limit: 2, offset: 1 });
    expect(page.body.items.map((e: { id: string }) => e.id)).toEqual(
      all.body.items.slice(1, 3).map((e: { id: string }) => e.id),
    );
    const reads = await t.request('GET', '/api/admin/audit?kind=CASE_ACCESS', { token: admin });
    expect(reads.body.items.every((e: { kind: string }) => e.kind === 'CASE_ACCESS')).toBe(true);
    expect(reads.body.items[0].target).toMatch(/^Case /);
    const staffId = reads.body.items[0].actor.id;
    const byStaff = await t.request('GET', `/api/admin/audit?actorId=${staffId}`, { token: admin });
    expect(byStaff.body.items.every((e: { actor: { id: string } }) => e.actor.id === staffId)).toBe(true);
    const none = await t.request('GET', '/api/admin/audit?from=2001-01-01&to=2001-01-31', { token: admin });
    expect(none.body).toMatchObject({ items: [], total: 0 });

    for (const bad of ['kind=EVERYTHING', 'from=2026-13-01', 'from=2026-12-02&to=2026-12-01', 'limit=1000']) {
      const res = await t.request('GET', `/api/admin/audit?${bad}`, { token: admin });
      expect([bad, res.status, res.body.error.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
    expect((await t.request('GET', '/api/admin/audit', { token: staff })).status).toBe(403);
    // Another organisation's administrator sees none of it.
    const other = await t.request('GET', '/api/admin/audit', { token: otherAdmin });
    expect(other.body.items.map((e: { action: string }) => e.action)).not.toContain('FACILITY_CREATED');

    const csv = await t.request('GET', '/api/admin/audit.csv?kind=ADMIN', { token: admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('occurredAt,kind,actorName,actorEmail,action,target,details');
    expect(lines).toHaveLength(1 + all.body.items.filter((e: { kind: string }) => e.kind === 'ADMIN').length);
    expect(lines.some((line) => line.includes('FACILITY_CREATED') && line.includes('Facility PRAIRIE'))).toBe(
      true,
    );
  });
});
