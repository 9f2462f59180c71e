import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { RawPeer } from './testing/RawPeer.ts';
import { seatPin } from './testing/seatPin.ts';
import type { SipConfig } from './sipConfig.ts';

/**
 * The SIP edge against raw datagrams from 127.0.0.x, on a real server (werift engine; no media is
 * needed here): unknown sources, malformed messages, an INVITE flood, wrong PINs sent by SIP INFO.
 * Ports: SIP 5087, Parley's RTP 5088–5089.
 */
const SIP_PORT = 5087;
const sip: SipConfig = {
  listenAddress: '127.0.0.1',
  udpPort: SIP_PORT,
  tcpPort: SIP_PORT,
  publicAddress: '127.0.0.1',
  rtpPorts: { min: 5088, max: 5089 },
  trunk: null,
  digest: null,
  // 127.0.0.4, 127.0.0.5: more trunk addresses, with calls a minute of their own.
  allowedSources: ['127.0.0.1', '127.0.0.4', '127.0.0.5'],
  refusalsPerMinute: 3,
  invitesPerMinute: 2,
  maxCalls: 10,
  pinSecret: 'refusal-test-secret',
};

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(25);
  }
}

describe('the SIP edge refuses what it must, and nothing breaks', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ sip });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 30_000);

  it('an address outside the allow-list gets 403 a few times a minute, then silence', async () => {
    const stranger = await RawPeer.open(SIP_PORT, '127.0.0.2');
    for (let i = 0; i < 6; i++) stranger.request('OPTIONS', `stranger-${i}`);
    await wait(500);
    const answers = stranger.received.filter((m) => m.startsWith('SIP/2.0 '));
    expect(answers.length).toBe(3);
    expect(answers.every((m) => m.startsWith('SIP/2.0 403'))).toBe(true);
    expect(t.server.phone!.counters.silencedSources).toBe(3);
    stranger.invite('stranger-invite');
    await wait(300);
    expect(t.server.phone!.calls.size).toBe(0);
    stranger.close();
  });

  it('malformed messages are dropped or answered 400; an allowed OPTIONS still gets 200', async () => {
    const peer = await RawPeer.open(SIP_PORT, '127.0.0.1');
    peer.socket.send(Buffer.from('\u0000\u00ff garbage\r\n\r\n', 'latin1'), SIP_PORT, '127.0.0.1');
    // Every header there but a CSeq without a number: answered 400, nothing else happens.
    peer.send([
      `OPTIONS sip:parley@127.0.0.1 SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKm1`,
      'From: <sip:a@127.0.0.1>;tag=1',
      'To: <sip:parley@127.0.0.1>',
      'Call-ID: broken-cseq',
      'CSeq: x OPTIONS',
    ]);
    peer.request('OPTIONS', 'fine');
    await until('the OPTIONS answer', () => peer.statuses('fine').includes(200));
    expect(peer.received.some((m) => m.startsWith('SIP/2.0 400'))).toBe(true);
    expect(t.server.phone!.counters.malformed).toBeGreaterThanOrEqual(2);
    peer.close();
  });

  it('wrong PINs by SIP INFO: three a call, five per trunk-asserted caller whatever From says; then Parley hangs up', async () => {
    const peer = await RawPeer.open(SIP_PORT, '127.0.0.5');
    const pins = t.server.phone!.pinAttempts;
    const asserted = { source: '127.0.0.5', identity: '16015550123' };
    /** One call asserting the same line, with a From of the caller's choosing; `wrong` bad PINs. */
    const callWithWrongPins = async (from: string, wrong: number) => {
      const callId = `pins-${randomUUID()}`;
      peer.invite(callId, [`P-Asserted-Identity: <sip:+16015550123@127.0.0.5>`], from);
      await until('the 200 OK', () => peer.statuses(callId).includes(200));
      const ok = peer.received.find((m) => m.startsWith('SIP/2.0 200') && m.includes(callId))!;
      const toTag = /^To:.*;tag=([^;\r\n]+)/m.exec(ok)![1]!;
      peer.request('ACK', callId, { toTag, from });
      let cseq = 2;
      const pressKey = (key: string) =>
        peer.request('INFO', callId, {
          cseq: cseq++,
          toTag,
          from,
          extra: ['Content-Type: application/dtmf-relay'],
          body: `Signal=${key}\r\nDuration=160\r\n`,
        });
      const infoOks = () =>
        peer.received.filter(
          (m) => m.startsWith('SIP/2.0 200') && m.includes(callId) && /^CSeq: \d+ INFO/m.test(m),
        ).length;
      for (let attempt = 1; attempt <= wrong; attempt++) {
        for (const key of '999999') pressKey(key);
        await until(`PIN ${attempt} keyed`, () => infoOks() === attempt * 6);
        await wait(300);
      }
      return { callId, pressKey };
    };
    const bye = (callId: string) => peer.received.some((m) => m.startsWith('BYE ') && m.includes(callId));

    // Three wrong PINs in one call: "Too many wrong attempts. Goodbye." and a BYE from Parley.
    const first = await callWithWrongPins('+16015550123', 3);
    await until('a BYE from Parley after three', () => bye(first.callId), 15_000);
    expect(pins.identityBlocked(asserted, Date.now())).toBe(false);
    // A second call from the same line claiming another From: still the same caller, locked out
    // after two more (five in all). Keyed on From it would have had three fresh tries.
    const second = await callWithWrongPins('+19999999999', 2);
    await until('the asserted caller locked out', () => pins.identityBlocked(asserted, Date.now()));
    await until('a BYE from Parley after five', () => bye(second.callId), 15_000);
    // Another line behind the same trunk is not locked out with it, nor is the trunk.
    expect(pins.identityBlocked({ source: '127.0.0.5', identity: '15045550000' }, Date.now())).toBe(false);
    expect(pins.admit({ source: '127.0.0.5', identity: null }, Date.now())).toEqual({ kind: 'now' });
    // An INFO after the end belongs to no dialog.
    first.pressKey('1');
    await until('481 for the ended dialog', () => peer.statuses(first.callId).includes(481));
    peer.close();
  }, 60_000);

  it('a proxy that Record-Routes stays on the path: the 200 OK carries its Record-Route and Parley’s BYE its Route', async () => {
    const peer = await RawPeer.open(SIP_PORT, '127.0.0.4');
    try {
      const callId = `routed-${randomUUID()}`;
      peer.invite(callId, ['Record-Route: <sip:edge.trunk.example;lr>, <sip:core.trunk.example;lr>']);
      await until('the 200 OK', () => peer.toTagOf(callId) !== undefined);
      const ok = peer.received.find((m) => m.startsWith('SIP/2.0 200') && m.includes(callId))!;
      expect(ok).toMatch(/^Record-Route: +<sip:edge\.trunk\.example;lr>, +<sip:core\.trunk\.example;lr>/m);
      const toTag = peer.toTagOf(callId)!;
      peer.request('ACK', callId, { toTag });
      // Three wrong PINs: goodbye, and Parley's BYE goes through the proxies, to the caller's Contact.
      for (let attempt = 0; attempt < 3; attempt++) {
        await peer.keyByInfo(callId, toTag, '999999', 2 + attempt * 6);
        await wait(400);
      }
      await until('a BYE from Parley', () => peer.byeIn(callId), 15_000);
      const bye = peer.requests('BYE').find((m) => m.includes(callId))!;
      expect(bye).toMatch(new RegExp(`^BYE sip:caller@127\\.0\\.0\\.4:${peer.port} SIP/2\\.0`));
      expect(bye).toMatch(/^Route: +<sip:edge\.trunk\.example;lr>, +<sip:core\.trunk\.example;lr>/m);
    } finally {
      peer.close();
    }
  }, 40_000);

  it('TCP: a call is answered on a stream, and ended by a BYE on it', async () => {
    const socket = connect(SIP_PORT, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    let received = '';
    socket.on('data', (d) => (received += d.toString('latin1')));
    const local = socket.address() as { port: number };
    const callId = `tcp-${randomUUID()}`;
    const send = (lines: string[], body = '') =>
      socket.write([...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
    const head = (method: string, cseq: number, toTag?: string) => [
      `${method} sip:parley@127.0.0.1:${SIP_PORT};transport=tcp SIP/2.0`,
      `Via: SIP/2.0/TCP 127.0.0.1:${local.port};branch=z9hG4bK${randomUUID().slice(0, 12)}`,
      `From: <sip:+15045550199@127.0.0.1>;tag=tcp-caller`,
      `To: <sip:parley@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:caller@127.0.0.1:${local.port};transport=tcp>`,
    ];
    const sdp = [
      'v=0',
      'o=- 1 1 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 5990 RTP/AVP 8',
      'a=rtpmap:8 PCMA/8000',
      '',
    ].join('\r\n');
    send([...head('INVITE', 1), 'Content-Type: application/sdp'], sdp);
    await until('the 200 OK on the stream', () => received.includes('SIP/2.0 200'));
    {
      expect(received).toContain('m=audio ');
      expect(received).toContain('a=rtpmap:8 PCMA/8000');
      const toTag = /^To:.*;tag=([^;\r\n]+)/m.exec(received.slice(received.indexOf('SIP/2.0 200')))![1]!;
      send(head('ACK', 1, toTag));
      send(head('BYE', 2, toTag));
      await until('the BYE answered', () => /SIP\/2\.0 200 OK[\s\S]*CSeq: 2 BYE/.test(received));
      await until('the call gone', () => ![...t.server.phone!.calls.keys()].includes(callId));
    }
    socket.destroy();
  });

  it('an INVITE flood from an allowed address past its calls a minute: 503 a few times, then silence', async () => {
    const peer = await RawPeer.open(SIP_PORT, '127.0.0.5');
    const ids = Array.from({ length: 8 }, (_, i) => `flood-${i}-${randomUUID()}`);
    for (const id of ids) peer.invite(id);
    await wait(1500);
    const finals = ids.map((id) => peer.statuses(id).find((s) => s >= 200));
    // Two calls a minute from one address, both taken by the PIN test: 503s, then nothing.
    expect(finals.filter((s) => s === 200).length).toBe(0);
    expect(finals.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    expect(finals.filter((s) => s === undefined).length).toBeGreaterThanOrEqual(1);
    expect(t.server.phone!.counters.floodRefused).toBe(8);
    peer.close();
  });

  it('GET /api/calls/:id/phone: each participant sees their own seat’s PIN, staff all three, others none', async () => {
    const id = await insertDemoConsultation(t.database.prisma, { startsInMinutes: 120, kioskPin: '515151' });
    const get = async (email: string) =>
      t.request('GET', `/api/calls/${id}/phone`, { token: await t.login(email) });
    const attorney = await get('attorney@parley.demo');
    expect(attorney.status).toBe(200);
    expect(attorney.body).toEqual({
      enabled: true,
      dialIn: { number: null, sipUri: `sip:parley@127.0.0.1:${SIP_PORT}` },
      pins: [{ role: 'ATTORNEY', pin: await seatPin(t.database.prisma, sip.pinSecret!, id, 'ATTORNEY') }],
    });
    const interpreter = await get('interpreter@parley.demo');
    expect(interpreter.body.pins.map((p: { role: string }) => p.role)).toEqual(['INTERPRETER']);
    const staff = await get('staff@parley.demo');
    expect(staff.body.pins.map((p: { role: string }) => p.role)).toEqual([
      'ATTORNEY',
      'INTERPRETER',
      'CLIENT',
    ]);
    expect((await get('probono@parley.demo')).status).toBe(403);
    expect((await get(OTHER_ORG_USERS.attorney)).status).toBe(404);
    expect((await t.request('GET', `/api/calls/${id}/phone`)).status).toBe(401);
  });

  it('a deactivated interpreter’s PIN seats nobody: "not open", then Parley hangs up', async () => {
    const db = t.database.prisma;
    const id = await insertDemoConsultation(db, { startsInMinutes: -1, kioskPin: '525252' });
    const { id: interpreterId } = await db.user.findUniqueOrThrow({
      where: { email: 'interpreter@parley.demo' },
      select: { id: true },
    });
    await db.user.update({ where: { id: interpreterId }, data: { active: false } });
    const peer = await RawPeer.open(SIP_PORT, '127.0.0.4');
    try {
      const callId = `deactivated-${randomUUID()}`;
      peer.invite(callId);
      await until('the 200 OK', () => peer.statuses(callId).includes(200));
      const ok = peer.received.find((m) => m.startsWith('SIP/2.0 200') && m.includes(callId))!;
      const toTag = /^To:.*;tag=([^;\r\n]+)/m.exec(ok)![1]!;
      peer.request('ACK', callId, { toTag });
      let cseq = 2;
      for (const key of await seatPin(db, sip.pinSecret!, id, 'INTERPRETER')) {
        peer.request('INFO', callId, {
          cseq: cseq++,
          toTag,
          extra: ['Content-Type: application/dtmf-relay'],
          body: `Signal=${key}\r\nDuration=160\r\n`,
        });
        await wait(20);
      }
      await until(
        'a BYE from Parley',
        () => peer.received.some((m) => m.startsWith('BYE ') && m.includes(callId)),
        15_000,
      );
      // No seat was made: the call was never opened for the phone.
      expect(t.server.signaling.liveCalls.has(id)).toBe(false);
    } finally {
      await db.user.update({ where: { id: interpreterId }, data: { active: true } });
      peer.close();
    }
  }, 40_000);
});
