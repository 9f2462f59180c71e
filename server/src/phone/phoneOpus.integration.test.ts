import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { BaresipPhone, rms, toneShare } from './testing/BaresipPhone.ts';
import { G711Peer } from './testing/G711Peer.ts';
import { seatPin } from './testing/seatPin.ts';
import { loopbackSipConfig, realPhoneTestsBlockedBy, until, wait } from './testing/phoneTestKit.ts';

/**
 * An Opus phone: baresip with only its opus module dials in (opus/48000/2, telephone-event at
 * 8 kHz, as Debian's baresip 1.0 offers), hears the menu, keys its PIN by RFC 4733 and is seated
 * as the attorney. Parley answers Opus; the phone's packets go into the room as sent, and what it
 * hears is its own 48 kHz mix, Opus-encoded for it. Two G.711 phones (interpreter, client) are the
 * other parties; who hears whom is read from the frequencies each recorded. Ports (this file's
 * own, 4310–4319): Parley's SIP 4310 and RTP 4318–4319 (and ephemeral ones for the G.711 legs'
 * RTP), baresip's SIP 4311 (TLS 4312), its control 4313 and RTP 4314–4317; the G.711 peers use
 * ephemeral ports.
 */
const why = realPhoneTestsBlockedBy();

const SIP_PORT = 4310;
const PIN_SECRET = 'phone-opus-test-pin-secret';
const TONES = { attorney: 700, interpreter: 1100, client: 1700 } as const;

// One RTP port per phone leg: the Opus phone's, and the G.711 peers' (ephemeral RTP on their side).
const sip = loopbackSipConfig(
  { sip: SIP_PORT, rtp: { min: 4316, max: 4319 }, tcp: true },
  { pinSecret: PIN_SECRET, codecs: ['opus', 'PCMU', 'PCMA'] },
);

/** The share of each party's tone in what `heard` gives over the next `ms` (300 ms after now skipped), and the level. */
async function listen(heard: () => { samples: Int16Array; rate: number }, ms = 2500) {
  const before = heard().samples.length;
  await wait(ms);
  const { samples, rate } = heard();
  const window = samples.subarray(Math.min(samples.length, before + Math.round(rate * 0.3)));
  return {
    rate,
    seconds: window.length / rate,
    level: rms(window),
    attorney: toneShare(window, TONES.attorney, rate),
    interpreter: toneShare(window, TONES.interpreter, rate),
    client: toneShare(window, TONES.client, rate),
  };
}

describe.skipIf(why !== undefined)('an Opus phone leg with baresip (mediasoup engine)', () => {
  let t: TestServer;
  let consultationId: string;
  let opusPhone: BaresipPhone | undefined;
  const peers: G711Peer[] = [];

  beforeAll(async () => {
    t = await startTestServer({
      media: { ...loadConfig().media, engine: 'mediasoup', workers: 1, listenAddresses: ['127.0.0.1'] },
      sip,
    });
    consultationId = await insertDemoConsultation(t.database.prisma, {
      startsInMinutes: 0,
      kioskPin: '454545',
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(peers.map((peer) => peer.hangUp()));
    await opusPhone?.stop();
    await t?.close();
  }, 60_000);

  const live = () => t.server.signaling.liveCalls.get(consultationId);
  const member = (role: string) =>
    live()
      ?.state()
      .participants.find((p) => p.role === role);

  it('answers Opus, seats the phone by its DTMF PIN, and each party hears the right others by frequency', async () => {
    const db = t.database.prisma;
    opusPhone = new BaresipPhone({
      name: 'opus-attorney',
      sipPort: 4311,
      controlPort: 4313,
      rtpPorts: { min: 4314, max: 4315 },
      toneHz: TONES.attorney,
      codec: 'opus',
    });
    await opusPhone.start();
    opusPhone.dial(`sip:parley@127.0.0.1:${SIP_PORT}`);
    await opusPhone.waitForEvent('CALL_ESTABLISHED');
    const leg = [...t.server.phone!.calls.values()][0]!;
    expect(leg.rtp.law).toBe('opus');
    expect(leg.rtp.sampleRate).toBe(48000);
    const phone = opusPhone;
    const menu = await listen(() => phone.heardWithRate(), 1500);
    expect(menu.rate, 'the phone decodes Opus at 48 kHz').toBe(48000);
    expect(menu.level, 'the welcome prompt is heard, upsampled to 48 kHz').toBeGreaterThan(300);
    await opusPhone.sendKeys(await seatPin(db, PIN_SECRET, consultationId, 'ATTORNEY'));
    await until('the Opus attorney connected', () => member('ATTORNEY')?.status === 'connected');

    for (const [who, role] of [
      ['interpreter', 'INTERPRETER'],
      ['client', 'CLIENT'],
    ] as const) {
      const peer = await G711Peer.open(SIP_PORT, TONES[who]);
      peers.push(peer);
      await peer.dialIn(await seatPin(db, PIN_SECRET, consultationId, role));
      await until(`the ${who} connected`, () => member(role)?.status === 'connected');
    }
    const [interpreter, client] = peers as [G711Peer, G711Peer];
    const g711 = (peer: G711Peer) => () => ({ samples: peer.heard(), rate: 8000 });
    await wait(1500);
    const heard = {
      attorney: await listen(() => phone.heardWithRate()),
      interpreter: await listen(g711(interpreter)),
      client: await listen(g711(client)),
    };
    // The Opus phone hears both others through its 48 kHz mix, and not itself.
    expect(heard.attorney.seconds).toBeGreaterThan(1.5);
    expect(heard.attorney.interpreter).toBeGreaterThan(0.05);
    expect(heard.attorney.client).toBeGreaterThan(0.05);
    expect(heard.attorney.attorney).toBeLessThan(0.01);
    // Its own Opus, forwarded into the room as it came, is heard by the others.
    expect(heard.interpreter.attorney).toBeGreaterThan(0.05);
    expect(heard.client.attorney).toBeGreaterThan(0.05);
    expect(heard.client.interpreter).toBeGreaterThan(0.05);

    // SIDEBAR (attorney and interpreter): the Opus phone still hears the interpreter, the client only
    // in the background (the plan's background gain); the client hears nothing of either — the
    // per-listener plan holds at 48 kHz as at 8 kHz.
    const call = live()!;
    const attorneySeat = call.state().participants.find((p) => p.role === 'ATTORNEY')!;
    await call.setSidebar(
      { participantId: attorneySeat.participantId, role: 'ATTORNEY', displayName: 'A', device: 'PHONE' },
      true,
    );
    const inSidebar = {
      attorney: await listen(() => phone.heardWithRate()),
      client: await listen(g711(client)),
    };
    expect(inSidebar.attorney.interpreter).toBeGreaterThan(0.05);
    expect(inSidebar.attorney.client).toBeLessThan(inSidebar.attorney.interpreter / 4);
    expect(inSidebar.client.attorney).toBeLessThan(0.01);
    expect(inSidebar.client.interpreter).toBeLessThan(0.01);
  }, 120_000);

  it('dial-out: Parley offers Opus first, an Opus phone answers with it, is seated as the attorney and hears the client', async () => {
    // The first test's phones are done: their ports are this test's.
    opusPhone?.hangUp();
    await Promise.all(peers.splice(0).map((peer) => peer.hangUp()));
    await opusPhone?.stop();
    opusPhone = undefined;
    await until('the first test’s legs released', () => t.server.phone!.calls.size === 0);
    const db = t.database.prisma;
    const id = await insertDemoConsultation(db, { startsInMinutes: 0, kioskPin: '464646' });
    const dialled = new BaresipPhone({
      name: 'opus-dialled',
      user: '+15045550143',
      sipPort: 4311,
      controlPort: 4313,
      rtpPorts: { min: 4314, max: 4315 },
      toneHz: TONES.attorney,
      codec: 'opus',
      answerMode: 'auto',
    });
    opusPhone = dialled;
    await dialled.start();
    // The "trunk" is the dialled phone itself.
    sip.trunk = { host: '127.0.0.1', port: 4311 };
    try {
      const asked = await t.request('POST', `/api/calls/${id}/phone/dial-out`, {
        token: await t.login('attorney@parley.demo'),
        body: { role: 'ATTORNEY', number: '+1 504 555 0143' },
      });
      expect(asked.status).toBe(202);
      await dialled.waitForEvent('CALL_ESTABLISHED', 15_000);
      const seat = (role: string) =>
        t.server.signaling.liveCalls
          .get(id)
          ?.state()
          .participants.find((p) => p.role === role);
      await until('the attorney seated by the dial-out', () => seat('ATTORNEY')?.status === 'connected');
      const leg = [...t.server.phone!.calls.values()][0]!;
      expect(leg.rtp.law, 'the callee answered Parley’s Opus').toBe('opus');
      const client = await G711Peer.open(SIP_PORT, TONES.client);
      peers.push(client);
      await client.dialIn(await seatPin(db, PIN_SECRET, id, 'CLIENT'));
      await until('the client seated', () => seat('CLIENT')?.status === 'connected');
      await wait(1500);
      const attorneyHears = await listen(() => dialled.heardWithRate());
      const clientHears = await listen(() => ({ samples: client.heard(), rate: 8000 }));
      expect(attorneyHears.rate).toBe(48000);
      expect(attorneyHears.client).toBeGreaterThan(0.05);
      expect(attorneyHears.attorney).toBeLessThan(0.01);
      expect(clientHears.attorney).toBeGreaterThan(0.05);
    } finally {
      sip.trunk = null;
    }
  }, 120_000);
});
