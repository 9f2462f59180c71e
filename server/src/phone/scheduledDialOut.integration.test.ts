import sip from 'sip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer, type RunningServer } from '../server.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import type { SipConfig } from './sipConfig.ts';
import { RawPeer } from './testing/RawPeer.ts';
import { until, wait } from './testing/phoneTestKit.ts';

/**
 * A dial-out asked for before its call opens is stored (the number sealed, never in clear) and rung
 * at the call's start by whichever process is up then: the server is closed and started again on
 * the same database between the request and the start. A dial-out whose start passed while no
 * process was up is logged as not rung, not rung late. Real server (werift: the INVITE is what is
 * checked here; phone.integration seats a dialled-out phone on mediasoup), real database, a raw SIP
 * "trunk" on 127.0.0.2. Ports: SIP 5141, RTP 5142–5145.
 */
const SIP_PORT = 5141;
const sip_: SipConfig = {
  listenAddress: '127.0.0.1',
  udpPort: SIP_PORT,
  tcpPort: null,
  publicAddress: '127.0.0.1',
  rtpPorts: { min: 5142, max: 5145 },
  trunk: { host: '127.0.0.2', port: 5146 },
  trunkAuth: null,
  digest: null,
  allowedSources: ['127.0.0.1', '127.0.0.2'],
  refusalsPerMinute: 10,
  invitesPerMinute: 30,
  maxCalls: 10,
  pinSecret: 'scheduled-dial-out-secret',
};
const NUMBER = '+1 (504) 555-0142';

let t: TestServer;
let server: RunningServer;
let trunk: RawPeer;
let pinCounter = 731_000;

beforeAll(async () => {
  trunk = await RawPeer.open(SIP_PORT, '127.0.0.2');
  sip_.trunk = { host: '127.0.0.2', port: trunk.port };
  t = await startTestServer({ sip: sip_, media: { ...loadConfig().media, engine: 'werift' } });
  server = t.server;
}, 120_000);
afterAll(async () => {
  trunk?.close();
  await server?.close();
  await t?.database.close();
}, 30_000);

const db = () => t.database.prisma;

async function dialOutEvents(consultationId: string) {
  const rows = await db().sessionEvent.findMany({
    where: { consultationId, type: 'PHONE_DIAL_OUT' },
    orderBy: { seq: 'asc' },
    select: { payload: true },
  });
  return rows.map((r) => r.payload as Record<string, unknown>);
}

/** Starts the server again on the same database, SIP settings and HTTP port (the old one must be closed). */
async function restart(): Promise<void> {
  await wait(200); // the SIP socket closes just after the BYEs have left
  const port = Number(new URL(t.url).port);
  server = await startServer({
    // A new handle on the same database, as a new process has: the server's session log is one per
    // handle (sessionLogFor), and the closed server's is closed.
    db: new Proxy(db(), {}),
    config: { ...t.config, port },
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  });
}

describe('scheduled dial-outs survive a restart', () => {
  it('is stored sealed, replaced by a second request for the seat, and rung at the start by the next process', async () => {
    const id = await insertDemoConsultation(db(), { startsInMinutes: 60, kioskPin: String(pinCounter++) });
    const token = await t.login('staff@parley.demo');
    const ask = () =>
      t.request('POST', `/api/calls/${id}/phone/dial-out`, {
        token,
        body: { role: 'INTERPRETER', number: NUMBER },
      });
    const first = await ask();
    expect(first.status).toBe(202);
    expect(first.body.status).toBe('SCHEDULED');
    const second = await ask();
    expect(second.body.status).toBe('SCHEDULED');

    // One row for the seat (the second request replaced the first), and no number in clear in it.
    const rows = await db().scheduledDialOut.findMany({ where: { consultationId: id } });
    expect(rows.map((r) => r.id)).toEqual([second.body.dialOutId]);
    expect(rows[0]!.numberEnding).toBe(42);
    expect(JSON.stringify(rows)).not.toMatch(/5045550142|555-?0142|0142/);

    await server.close();
    // While Parley is down, the call moves to start in three seconds (the row's time with it).
    const startsAt = new Date(Date.now() + 3_000);
    await db().consultation.update({
      where: { id },
      data: { startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) },
    });
    await db().scheduledDialOut.update({ where: { id: second.body.dialOutId }, data: { dueAt: startsAt } });
    await restart();

    const invites = () => trunk.requests('INVITE').filter((m) => sip.parse(m)?.uri?.includes('+15045550142'));
    await until('the INVITE of the scheduled dial-out', () => invites().length > 0);
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt.getTime() - 50);
    trunk.respond(invites()[0]!, 486, 'Busy Here');
    await until('logged busy', async () =>
      (await dialOutEvents(id)).some((e) => e.outcome === 'FAILED'),
    ).catch(async (error: unknown) => {
      throw new Error(
        `${String(error)}: ${JSON.stringify(await dialOutEvents(id))} ${trunk.received.join('\n---\n')}`,
      );
    });
    const events = await dialOutEvents(id);
    expect(events.map((e) => e.outcome)).toEqual(['SCHEDULED', 'SCHEDULED', 'DIALLED', 'FAILED']);
    expect(events.at(-1)).toMatchObject({
      dialOutId: second.body.dialOutId,
      failure: 'BUSY',
      numberEnding: 42,
    });
    expect(await db().scheduledDialOut.count({ where: { consultationId: id } })).toBe(0);
    // Rung once: the first request's timer went with the first process, and its row was replaced.
    await wait(500);
    expect(new Set(invites().map((m) => sip.parse(m)!.headers['call-id'])).size).toBe(1);
  }, 60_000);

  it('a dial-out whose start passed while no process was up is logged as not rung, and not rung late', async () => {
    const id = await insertDemoConsultation(db(), { startsInMinutes: 60, kioskPin: String(pinCounter++) });
    const token = await t.login('attorney@parley.demo');
    const asked = await t.request('POST', `/api/calls/${id}/phone/dial-out`, {
      token,
      body: { role: 'ATTORNEY', number: '+16015550177' },
    });
    expect(asked.body.status).toBe('SCHEDULED');
    await server.close();
    await db().scheduledDialOut.update({
      where: { id: asked.body.dialOutId },
      data: { dueAt: new Date(Date.now() - 10 * 60_000) },
    });
    const before = trunk.requests('INVITE').length;
    await restart();
    await until('logged as not rung', async () =>
      (await dialOutEvents(id)).some((e) => e.outcome === 'FAILED'),
    );
    expect((await dialOutEvents(id)).at(-1)).toMatchObject({
      dialOutId: asked.body.dialOutId,
      outcome: 'FAILED',
      failure: 'NOT_OPEN',
      numberEnding: 77,
    });
    expect(await db().scheduledDialOut.count({ where: { consultationId: id } })).toBe(0);
    await wait(500);
    expect(trunk.requests('INVITE').length).toBe(before);
  }, 60_000);
});
