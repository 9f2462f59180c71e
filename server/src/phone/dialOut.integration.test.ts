import sip from 'sip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { DigestAuth } from './digest.ts';
import type { SipConfig } from './sipConfig.ts';
import { BaresipPhone } from './testing/BaresipPhone.ts';
import { RawPeer } from './testing/RawPeer.ts';
import { until, wait } from './testing/phoneTestKit.ts';

/**
 * Dial-out on a real server (werift engine: no phone media here; phone.integration seats a
 * dialled-out phone on mediasoup): the API's checks, the INVITE through the trunk with a digest
 * answer to its challenge, a busy callee, and baresip as a callee that answers. The "trunk" is a
 * raw SIP peer on 127.0.0.2 or baresip itself. Ports: SIP 5121, RTP 5122–5125, the raw trunk 5126,
 * baresip 5127 (+1 TLS), its control 5129 and RTP 5130–5131.
 */
const SIP_PORT = 5121;
const TRUNK_PORT = 5126;
const trunkAuth = { user: 'parley-out', password: 'trunk-secret' };
const sip_: SipConfig = {
  listenAddress: '127.0.0.1',
  udpPort: SIP_PORT,
  tcpPort: null,
  publicAddress: '127.0.0.1',
  rtpPorts: { min: 5122, max: 5125 },
  // Each test points the trunk where its far end listens (the gateway reads it at dial time).
  trunk: { host: '127.0.0.2', port: TRUNK_PORT },
  trunkAuth,
  digest: null,
  allowedSources: ['127.0.0.1', '127.0.0.2'],
  refusalsPerMinute: 10,
  invitesPerMinute: 30,
  maxCalls: 10,
  pinSecret: 'dial-out-secret',
};
const NUMBER = '+1 (504) 555-0142';
const E164 = '+15045550142';

let t: TestServer;
let pinCounter = 720_000;

beforeAll(async () => {
  // Named: the default (auto) would take mediasoup where its worker is built.
  t = await startTestServer({ sip: sip_, media: { ...loadConfig().media, engine: 'werift' } });
}, 120_000);
afterAll(async () => {
  await t?.close();
}, 30_000);

const newCall = (startsInMinutes = -1) =>
  insertDemoConsultation(t.database.prisma, { startsInMinutes, kioskPin: String(pinCounter++) });

async function dialOutEvents(consultationId: string) {
  const rows = await t.database.prisma.sessionEvent.findMany({
    where: { consultationId, type: 'PHONE_DIAL_OUT' },
    orderBy: { seq: 'asc' },
    select: { payload: true, actorRole: true },
  });
  return rows.map((r): Record<string, unknown> => ({
    ...(r.payload as Record<string, unknown>),
    actorRole: r.actorRole,
  }));
}

async function dialOut(email: string, consultationId: string, body: unknown) {
  return t.request('POST', `/api/calls/${consultationId}/phone/dial-out`, {
    token: await t.login(email),
    body,
  });
}

describe('dial-out: Parley calls a participant’s phone through the trunk', () => {
  it('refuses bad numbers, people not on the call, other organisations and seats not theirs; nothing is dialled', async () => {
    const id = await newCall();
    const bad = await dialOut('staff@parley.demo', id, { role: 'CLIENT', number: '555-0142' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details).toEqual([{ path: 'number', message: expect.stringContaining('E.164') }]);
    for (const number of ['+0123456789', '+1234', '+1 504 555 0142 999 999 9', 'sip:evil@10.0.0.1']) {
      const refused = await dialOut('staff@parley.demo', id, { role: 'CLIENT', number });
      expect(refused.body.error.code, number).toBe('VALIDATION_FAILED');
    }
    expect((await dialOut('staff@parley.demo', id, { role: 'JUDGE', number: NUMBER })).status).toBe(400);
    expect((await dialOut('staff@parley.demo', id, { role: 'CLIENT', number: NUMBER, x: 1 })).status).toBe(
      400,
    );
    const notTheirs = await dialOut('interpreter@parley.demo', id, { role: 'CLIENT', number: NUMBER });
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.error.code).toBe('FORBIDDEN_ROLE');
    const notOnCall = await dialOut('probono@parley.demo', id, { role: 'ATTORNEY', number: NUMBER });
    expect(notOnCall.status).toBe(403);
    expect(notOnCall.body.error.code).toBe('NOT_IN_CONSULTATION');
    expect((await dialOut(OTHER_ORG_USERS.attorney, id, { role: 'ATTORNEY', number: NUMBER })).status).toBe(
      404,
    );
    const anonymous = await t.request('POST', `/api/calls/${id}/phone/dial-out`, {
      body: { role: 'CLIENT', number: NUMBER },
    });
    expect(anonymous.status).toBe(401);
    await wait(300);
    expect(await dialOutEvents(id)).toEqual([]);
    // A trunk whose answers the allow-list would refuse is not dialled: 409, logged as failed.
    const before = sip_.trunk;
    sip_.trunk = { host: '127.0.0.3', port: TRUNK_PORT };
    try {
      const unreachable = await dialOut('staff@parley.demo', id, { role: 'CLIENT', number: NUMBER });
      expect(unreachable.status).toBe(409);
      expect(unreachable.body.error.message).toMatch(/SIP_ALLOWED_SOURCES/);
      await until('logged', async () => (await dialOutEvents(id)).length === 1);
      expect((await dialOutEvents(id))[0]).toMatchObject({ outcome: 'FAILED', failure: 'TRUNK_REFUSED' });
    } finally {
      sip_.trunk = before;
    }
  });

  it('answers the trunk’s digest challenge; a busy callee is logged as failed, with the number masked', async () => {
    const trunk = await RawPeer.open(SIP_PORT, '127.0.0.2');
    // The raw peer binds an ephemeral port; the trunk setting points there.
    sip_.trunk = { host: '127.0.0.2', port: trunk.port };
    const verifier = new DigestAuth({ ...trunkAuth, realm: 'trunk.example' }, 'trunk-side-secret');
    try {
      const id = await newCall();
      const asked = await dialOut('attorney@parley.demo', id, { role: 'CLIENT', number: NUMBER });
      expect(asked.status).toBe(202);
      expect(asked.body).toMatchObject({ status: 'DIALLING', dialOutId: expect.any(String) });
      await until('the INVITE at the trunk', () => trunk.requests('INVITE').length >= 1);
      const first = trunk.requests('INVITE')[0]!;
      expect(first).toMatch(new RegExp(`^INVITE sip:\\${E164}@127\\.0\\.0\\.2:${trunk.port} SIP/2\\.0`));
      expect(first).toContain('a=rtpmap:0 PCMU/8000');
      trunk.respond(first, 401, 'Unauthorized', [`WWW-Authenticate: ${verifier.challenge()}`]);
      // (Over UDP the first INVITE may be sent again before the 401 lands: look for the one that answers it.)
      const authenticated = () => trunk.requests('INVITE').filter((m) => /^Authorization: /m.test(m));
      await until('the INVITE again, authenticated', () => authenticated().length >= 1);
      const second = authenticated()[0]!;
      const parsed = sip.parse(second)!;
      expect(verifier.verify('INVITE', parsed.uri!, parsed.headers.authorization?.[0])).toBe('ok');
      expect(parsed.headers.cseq!.seq).toBe(sip.parse(first)!.headers.cseq!.seq + 1);
      trunk.respond(second, 180, 'Ringing');
      trunk.respond(second, 486, 'Busy Here');
      // The sip package ACKs the failure.
      await until('the ACK of 486', () => trunk.requests('ACK').length >= 1);
      await until('the failure logged', async () =>
        (await dialOutEvents(id)).some((e) => e.outcome === 'FAILED'),
      );
      const events = await dialOutEvents(id);
      expect(events).toEqual([
        {
          dialOutId: asked.body.dialOutId,
          participantId: `client:${id}`,
          role: 'CLIENT',
          outcome: 'DIALLED',
          numberEnding: 42,
          actorRole: 'ATTORNEY',
        },
        {
          dialOutId: asked.body.dialOutId,
          participantId: `client:${id}`,
          role: 'CLIENT',
          outcome: 'FAILED',
          failure: 'BUSY',
          numberEnding: 42,
          actorRole: 'ATTORNEY',
        },
      ]);
      expect(JSON.stringify(events)).not.toContain('5550142');
      expect(t.server.phone!.calls.size).toBe(0);
    } finally {
      trunk.close();
    }
  }, 30_000);

  it('a call that is not open yet is dialled when it starts: 202 SCHEDULED, logged; an ended call is refused', async () => {
    const later = await newCall(60);
    const asked = await dialOut('staff@parley.demo', later, { role: 'INTERPRETER', number: NUMBER });
    expect(asked.status).toBe(202);
    expect(asked.body.status).toBe('SCHEDULED');
    const { startsAt } = await t.database.prisma.consultation.findUniqueOrThrow({ where: { id: later } });
    expect(new Date(asked.body.at as string).getTime()).toBe(startsAt.getTime());
    await until('logged', async () => (await dialOutEvents(later)).length === 1);
    expect((await dialOutEvents(later))[0]).toMatchObject({ outcome: 'SCHEDULED', role: 'INTERPRETER' });
    const past = await newCall(-120);
    const refused = await dialOut('staff@parley.demo', past, { role: 'CLIENT', number: NUMBER });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CALL_ENDED');
  });

  it('is rate-limited per person: the sixth request in ten minutes is refused with RATE_LIMITED', async () => {
    const trunk = await RawPeer.open(SIP_PORT, '127.0.0.2');
    sip_.trunk = { host: '127.0.0.2', port: trunk.port };
    try {
      const id = await newCall();
      // The interpreter asks for their own seat (five requests at most); the trunk says busy each time.
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await dialOut('interpreter@parley.demo', id, {
          role: 'INTERPRETER',
          number: NUMBER,
        });
        statuses.push(response.status);
        if (response.status === 429) expect(response.body.error.code).toBe('RATE_LIMITED');
        // Distinct calls (a retransmission repeats a Call-ID).
        const calls = () => new Set(trunk.requests('INVITE').map((m) => sip.parse(m)!.headers['call-id']));
        await until('the INVITE', () => calls().size >= Math.min(i + 1, 5));
        const invite = trunk
          .requests('INVITE')
          .find((m) => sip.parse(m)!.headers['call-id'] === [...calls()][i]);
        if (invite && i < 5) trunk.respond(invite, 486, 'Busy Here');
      }
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
      await wait(300);
      expect(new Set(trunk.requests('INVITE').map((m) => sip.parse(m)!.headers['call-id'])).size).toBe(5);
    } finally {
      trunk.close();
    }
  }, 30_000);

  describe.skipIf(!BaresipPhone.available())('with baresip as the callee', () => {
    it('baresip answers; Parley ACKs, logs "answered" and (without phone media on werift) says goodbye', async () => {
      const callee = new BaresipPhone({
        name: 'callee',
        user: E164,
        sipPort: 5127,
        controlPort: 5129,
        rtpPorts: { min: 5130, max: 5131 },
        toneHz: 900,
        answerMode: 'auto',
      });
      await callee.start();
      sip_.trunk = { host: '127.0.0.1', port: 5127 };
      try {
        const id = await newCall();
        const asked = await dialOut('staff@parley.demo', id, { role: 'CLIENT', number: NUMBER });
        expect(asked.status).toBe(202);
        await callee.waitForEvent('CALL_ESTABLISHED', 15_000);
        await until('answered in the log', async () =>
          (await dialOutEvents(id)).some((e) => e.outcome === 'ANSWERED'),
        );
        expect((await dialOutEvents(id)).map((e) => e.outcome)).toEqual(['DIALLED', 'ANSWERED']);
        // werift has no plain RTP legs: Parley says the call cannot be connected, and hangs up.
        await callee.waitForEvent('CALL_CLOSED', 20_000);
        await until('the leg gone', () => t.server.phone!.calls.size === 0);
      } finally {
        await callee.stop();
      }
    }, 60_000);
  });
});
