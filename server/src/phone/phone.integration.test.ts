import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { seatPin } from './testing/seatPin.ts';
import { loopbackSipConfig, realPhoneTestsBlockedBy, until, wait } from './testing/phoneTestKit.ts';
import { BaresipPhone, rms, toneShare } from './testing/BaresipPhone.ts';

/**
 * Phone legs with real phones: baresip dials Parley's SIP port on 127.0.0.1, hears the menu,
 * sends its PIN as RFC 4733 DTMF and joins the consultation's live call as device PHONE on the
 * mediasoup engine (plain RTP legs). Each phone plays its own sine; who hears whom is read from
 * what each phone recorded. Ports: SIP 5070, phones 5071/5073/5075 (and TLS on each + 1), their
 * control 5077–5079 and RTP 5080–5085, Parley's RTP 5086–5089.
 */
const why = realPhoneTestsBlockedBy();

const SIP_PORT = 5070;
const PIN_SECRET = 'phone-test-pin-secret';
const TONES = { attorney: 500, interpreter: 1100, client: 1700 } as const;
type Who = keyof typeof TONES;

const sip = loopbackSipConfig(
  { sip: SIP_PORT, rtp: { min: 5086, max: 5089 }, tcp: true },
  { pinSecret: PIN_SECRET },
);

/** What `phone` hears over the next `ms`: the share of each party's tone, and the level. */
async function listen(phone: BaresipPhone, ms = 2500) {
  const before = phone.heard().length;
  await wait(ms);
  const all = phone.heard();
  // The first 300 ms after a change may still hold the mix of before it.
  const window = all.subarray(Math.min(all.length, before + 2400));
  return {
    samples: window.length,
    level: rms(window),
    attorney: toneShare(window, TONES.attorney),
    interpreter: toneShare(window, TONES.interpreter),
    client: toneShare(window, TONES.client),
  };
}

describe.skipIf(why !== undefined)('phone legs over SIP with baresip (mediasoup engine)', () => {
  let t: TestServer;
  let consultationId: string;
  const phones: Partial<Record<Who, BaresipPhone>> = {};
  const pins: Record<Who, string> = { attorney: '', interpreter: '', client: '' };

  beforeAll(async () => {
    t = await startTestServer({
      media: { ...loadConfig().media, engine: 'mediasoup', workers: 1, listenAddresses: ['127.0.0.1'] },
      sip,
    });
    consultationId = await insertDemoConsultation(t.database.prisma, {
      startsInMinutes: 0,
      kioskPin: '424242',
    });
    pins.attorney = await seatPin(t.database.prisma, PIN_SECRET, consultationId, 'ATTORNEY');
    pins.interpreter = await seatPin(t.database.prisma, PIN_SECRET, consultationId, 'INTERPRETER');
    pins.client = await seatPin(t.database.prisma, PIN_SECRET, consultationId, 'CLIENT');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(phones).map((p) => p.stop()));
    await t?.close();
  }, 60_000);

  function phone(who: Who, index: number): BaresipPhone {
    const created = new BaresipPhone({
      name: who,
      // baresip also listens for TLS on its SIP port + 1.
      sipPort: 5071 + index * 2,
      controlPort: 5077 + index,
      rtpPorts: { min: 5080, max: 5085 },
      toneHz: TONES[who],
    });
    phones[who] = created;
    return created;
  }

  const live = () => t.server.signaling.liveCalls.get(consultationId);
  const member = (role: string) =>
    live()
      ?.state()
      .participants.find((p) => p.role === role);

  it('a phone dials in, hears the menu, a wrong PIN is refused, its own PIN seats it as the attorney', async () => {
    const attorney = phone('attorney', 0);
    await attorney.start();
    attorney.dial(`sip:parley@127.0.0.1:${SIP_PORT}`);
    await attorney.waitForEvent('CALL_ESTABLISHED');
    const menu = await listen(attorney, 1500);
    expect(menu.level, 'the welcome prompt is heard').toBeGreaterThan(300);
    const wrong = pins.attorney === '000000' ? '111111' : '000000';
    await attorney.sendKeys(wrong);
    await wait(1500);
    expect(live()).toBeUndefined();
    await attorney.sendKeys(pins.attorney);
    await until('the attorney connected by phone', () => member('ATTORNEY')?.status === 'connected');
    // The session log is written behind the call: wait for its row.
    let devices: string[] = [];
    for (let tries = 0; tries < 100 && devices.length === 0; tries++) {
      const events = await t.database.prisma.sessionEvent.findMany({
        where: { consultationId, type: 'PARTICIPANT_JOINED' },
        select: { payload: true },
      });
      devices = events.map((e) => (e.payload as { device: string }).device);
      if (devices.length === 0) await wait(100);
    }
    expect(devices).toEqual(['PHONE']);
  }, 60_000);

  it('CONSECUTIVE: each phone hears the two others and not itself; SIMULTANEOUS: the listener hears the interpreter and the original ducked; SIDEBAR: the client hears nothing of it', async () => {
    const interpreter = phone('interpreter', 1);
    const client = phone('client', 2);
    for (const [who, p] of [
      ['interpreter', interpreter],
      ['client', client],
    ] as const) {
      await p.start();
      p.dial(`sip:parley@127.0.0.1:${SIP_PORT}`);
      await p.waitForEvent('CALL_ESTABLISHED');
      await p.sendKeys(pins[who]);
    }
    await until('everyone connected', () =>
      ['ATTORNEY', 'INTERPRETER', 'CLIENT'].every((role) => member(role)?.status === 'connected'),
    );
    await wait(1500);
    const heard = {
      attorney: await listen(phones.attorney!),
      interpreter: await listen(interpreter),
      client: await listen(client),
    };
    expect(heard.attorney.interpreter).toBeGreaterThan(0.05);
    expect(heard.attorney.client).toBeGreaterThan(0.05);
    expect(heard.attorney.attorney).toBeLessThan(0.01);
    expect(heard.interpreter.attorney).toBeGreaterThan(0.05);
    expect(heard.interpreter.client).toBeGreaterThan(0.05);
    expect(heard.client.attorney).toBeGreaterThan(0.05);
    expect(heard.client.interpreter).toBeGreaterThan(0.05);

    const call = live()!;
    const seatOf = (role: 'ATTORNEY' | 'INTERPRETER') => {
      const p = call.state().participants.find((m) => m.role === role)!;
      return { participantId: p.participantId, role, displayName: role, device: 'PHONE' as const };
    };
    // SIMULTANEOUS into Spanish: the client hears the interpreter at full level and the attorney
    // ducked; the attorney does not receive the interpreter at all.
    await call.setInterpretation(seatOf('INTERPRETER'), 'SIMULTANEOUS', 'es');
    const simultaneous = { attorney: await listen(phones.attorney!), client: await listen(client) };
    expect(simultaneous.client.interpreter).toBeGreaterThan(0.05);
    expect(simultaneous.client.attorney).toBeGreaterThan(0.001);
    expect(simultaneous.client.attorney).toBeLessThan(simultaneous.client.interpreter / 4);
    expect(simultaneous.attorney.interpreter).toBeLessThan(0.01);
    expect(simultaneous.attorney.client).toBeGreaterThan(0.05);
    await call.setInterpretation(seatOf('INTERPRETER'), 'CONSECUTIVE', null);
    const attorneySeat = call.state().participants.find((p) => p.role === 'ATTORNEY')!;
    await call.setSidebar(
      { participantId: attorneySeat.participantId, role: 'ATTORNEY', displayName: 'A', device: 'PHONE' },
      true,
    );
    const inSidebar = { attorney: await listen(phones.attorney!), client: await listen(client) };
    expect(inSidebar.attorney.interpreter).toBeGreaterThan(0.05);
    expect(inSidebar.client.attorney).toBeLessThan(0.01);
    expect(inSidebar.client.interpreter).toBeLessThan(0.01);
    expect(inSidebar.client.level).toBeLessThan(100);
  }, 90_000);

  it('refuses bad input without harm: malformed SIP, an unknown BYE, RTP from the wrong address', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const replies: string[] = [];
    socket.on('message', (m) => replies.push(m.toString('latin1')));
    const send = (text: string) => socket.send(Buffer.from(text, 'latin1'), SIP_PORT, '127.0.0.1');
    const port = socket.address().port;
    const malformedBefore = t.server.phone!.counters.malformed;
    send('this is not SIP\r\n\r\n');
    // All headers there but a CSeq without a number: a 400, and nothing else happens.
    send(
      [
        'INVITE sip:parley@127.0.0.1 SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK1`,
        'From: <sip:x@127.0.0.1>;tag=1',
        'To: <sip:parley@127.0.0.1>',
        'Call-ID: broken',
        'CSeq: many INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const call = [...t.server.phone!.calls.values()][0]!;
    send(
      [
        'BYE sip:parley@127.0.0.1 SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKbye1`,
        `From: <sip:x@127.0.0.1>;tag=not-theirs`,
        `To: <sip:parley@127.0.0.1>;tag=${call.localTag}`,
        `Call-ID: ${call.callId}`,
        'CSeq: 2 BYE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    await until('two answers', () => replies.length >= 2, 5000);
    expect(replies.some((r) => r.startsWith('SIP/2.0 400'))).toBe(true);
    expect(replies.some((r) => r.startsWith('SIP/2.0 481'))).toBe(true);
    expect(t.server.phone!.counters.malformed).toBeGreaterThan(malformedBefore);
    // RTP to a leg from an address that is not the phone's: dropped and counted.
    const wrongBefore = call.rtp.counters.wrongSource;
    socket.send(Buffer.alloc(172, 0x80), call.rtp.localPort, '127.0.0.1');
    await until('the stray packet counted', () => call.rtp.counters.wrongSource > wrongBefore, 5000);
    socket.close();
    // Every call is still up.
    expect(t.server.phone!.calls.size).toBe(3);
    expect(member('CLIENT')?.status).toBe('connected');
  }, 30_000);

  it('a hang-up keeps the seat, redialling takes it back, and the attorney ending the call hangs every phone up', async () => {
    const client = phones.client!;
    client.hangUp();
    await until('the client reconnecting', () => member('CLIENT')?.status === 'reconnecting');
    await until('the leg released', () => t.server.phone!.calls.size === 2);
    client.events.length = 0;
    client.dial(`sip:parley@127.0.0.1:${SIP_PORT}`);
    await client.waitForEvent('CALL_ESTABLISHED');
    await client.sendKeys(pins.client);
    await until('the client back in the same seat', () => member('CLIENT')?.status === 'connected');
    let reconnected = 0;
    for (let tries = 0; tries < 100 && reconnected === 0; tries++) {
      reconnected = await t.database.prisma.sessionEvent.count({
        where: { consultationId, type: 'PARTICIPANT_RECONNECTED' },
      });
      if (reconnected === 0) await wait(100);
    }
    expect(reconnected).toBe(1);
    expect(
      await t.database.prisma.sessionEvent.count({ where: { consultationId, type: 'PARTICIPANT_JOINED' } }),
    ).toBe(3);

    client.events.length = 0;
    const call = live()!;
    const attorney = call.state().participants.find((p) => p.role === 'ATTORNEY')!;
    call.end('ENDED_BY_ATTORNEY', {
      participantId: attorney.participantId,
      role: 'ATTORNEY',
      displayName: 'A',
      device: 'PHONE',
    });
    for (const p of Object.values(phones)) await p.waitForEvent('CALL_CLOSED');
    await until('no phone legs left', () => t.server.phone!.calls.size === 0);
  }, 60_000);

  it('dial-out: the attorney asks Parley to call their phone; baresip answers by itself, is seated as the attorney and hears the client', async () => {
    const db = t.database.prisma;
    const id = await insertDemoConsultation(db, { startsInMinutes: 0, kioskPin: '434343' });
    const dialled = new BaresipPhone({
      name: 'dialled',
      user: '+15045550142',
      sipPort: 5141,
      controlPort: 5145,
      rtpPorts: { min: 5147, max: 5148 },
      toneHz: TONES.attorney,
      answerMode: 'auto',
    });
    const client = new BaresipPhone({
      name: 'client2',
      sipPort: 5143,
      controlPort: 5146,
      rtpPorts: { min: 5149, max: 5150 },
      toneHz: TONES.client,
    });
    try {
      await dialled.start();
      await client.start();
      // The "trunk" is the dialled phone itself.
      sip.trunk = { host: '127.0.0.1', port: 5141 };
      const asked = await t.request('POST', `/api/calls/${id}/phone/dial-out`, {
        token: await t.login('attorney@parley.demo'),
        body: { role: 'ATTORNEY', number: '+1 504 555 0142' },
      });
      expect(asked.status).toBe(202);
      await dialled.waitForEvent('CALL_ESTABLISHED', 15_000);
      const seat = (role: string) =>
        t.server.signaling.liveCalls
          .get(id)
          ?.state()
          .participants.find((p) => p.role === role);
      await until('the attorney seated by the dial-out', () => seat('ATTORNEY')?.status === 'connected');
      client.dial(`sip:parley@127.0.0.1:${SIP_PORT}`);
      await client.waitForEvent('CALL_ESTABLISHED');
      await client.sendKeys(await seatPin(db, PIN_SECRET, id, 'CLIENT'));
      await until('the client seated', () => seat('CLIENT')?.status === 'connected');
      await wait(1500);
      const attorneyHears = await listen(dialled);
      const clientHears = await listen(client);
      expect(attorneyHears.client).toBeGreaterThan(0.05);
      expect(attorneyHears.attorney).toBeLessThan(0.01);
      expect(clientHears.attorney).toBeGreaterThan(0.05);
      let outcomes: string[] = [];
      for (let tries = 0; tries < 50 && outcomes.length < 2; tries++) {
        const events = await db.sessionEvent.findMany({
          where: { consultationId: id, type: 'PHONE_DIAL_OUT' },
          orderBy: { seq: 'asc' },
          select: { payload: true },
        });
        outcomes = events.map((e) => (e.payload as { outcome: string }).outcome);
        if (outcomes.length < 2) await wait(100);
      }
      expect(outcomes).toEqual(['DIALLED', 'ANSWERED']);
    } finally {
      sip.trunk = null;
      await dialled.stop();
      await client.stop();
    }
  }, 90_000);
});
