import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallState } from '@parley/shared';
import { loadConfig } from '../config.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { BaresipPhone, rms, toneShare } from './testing/BaresipPhone.ts';
import { seatPin } from './testing/seatPin.ts';
import { loopbackSipConfig, realPhoneTestsBlockedBy, until, wait } from './testing/phoneTestKit.ts';

/**
 * The in-call keypad with real phones (README, "Join by phone"): three baresip phones dial in,
 * key their PINs and are seated as attorney, interpreter and client on the mediasoup engine; then
 * they press `*` and a digit (RFC 4733 events) as a person would. What a key did is read from the
 * live call (its state and each listener's routing), the session log and what the phones heard:
 * the same places a browser's button shows up.
 */
const why = realPhoneTestsBlockedBy();

const PIN_SECRET = 'keypad-test-pin-secret';
const TONES = { attorney: 500, interpreter: 1100, client: 1700 } as const;
/** The beeps that open an alert (generatePrompts.sh). */
const ALERT_HZ = 880;
type Who = keyof typeof TONES;
const ROLE = { attorney: 'ATTORNEY', interpreter: 'INTERPRETER', client: 'CLIENT' } as const;

async function portFree(port: number): Promise<boolean> {
  const udp = await new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
  if (!udp) return false;
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive ports free for UDP and TCP, away from the SIP tests' fixed ports (5070–5150). */
async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 30_000 + Math.floor(Math.random() * 2_000);
    let free = true;
    for (let p = base; p < base + count && free; p++) free = await portFree(p);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

describe.skipIf(why !== undefined)('the phone keypad with baresip phones (mediasoup engine)', () => {
  let t: TestServer;
  let consultationId: string;
  let sipPort = 0;
  const phones = {} as Record<Who, BaresipPhone>;

  const call = () => {
    const live = t.server.signaling.liveCalls.get(consultationId);
    if (!live) throw new Error('the call is not live');
    return live;
  };
  const idOf = (who: Who) =>
    call()
      .state()
      .participants.find((p) => p.role === ROLE[who])!.participantId;
  const viewOf = (who: Who): CallState => call().state(idOf(who));
  /** Whether `listener` receives `speaker`'s audio now, by the routing the engine applied. */
  const sent = (listener: Who, speaker: Who) =>
    call()
      .listenerRouting(idOf(listener))
      ?.tracks.find((x) => x.kind === 'audio' && x.speakerId === idOf(speaker))?.sent;
  const events = async (type: string) =>
    t.database.prisma.sessionEvent.findMany({
      where: { consultationId, type },
      orderBy: { seq: 'asc' },
      select: { payload: true, actorRole: true },
    });
  /** What `phone` hears over the next `ms` (after a 300 ms settling), as tone shares. */
  async function listen(phone: BaresipPhone, ms = 2000) {
    const before = phone.heard().length;
    await wait(ms);
    const window = phone.heard().subarray(before + 2400);
    return {
      level: rms(window),
      attorney: toneShare(window, TONES.attorney),
      interpreter: toneShare(window, TONES.interpreter),
      client: toneShare(window, TONES.client),
      alert: toneShare(window, ALERT_HZ),
    };
  }

  beforeAll(async () => {
    // SIP at +0; each phone's SIP (TLS at +1) at +2/+4/+6, control at +8..+10, RTP at +12..+23;
    // Parley's phone-side RTP at +24..+29.
    const base = await freePortBlock(30);
    sipPort = base;
    const sip = loopbackSipConfig(
      { sip: base, rtp: { min: base + 24, max: base + 29 }, tcp: true },
      { pinSecret: PIN_SECRET },
    );
    t = await startTestServer({
      media: { ...loadConfig().media, engine: 'mediasoup', workers: 1, listenAddresses: ['127.0.0.1'] },
      sip,
    });
    consultationId = await insertDemoConsultation(t.database.prisma, {
      startsInMinutes: 0,
      kioskPin: '515151',
    });
    (['attorney', 'interpreter', 'client'] as const).forEach((who, i) => {
      phones[who] = new BaresipPhone({
        name: `keypad-${who}`,
        sipPort: base + 2 + i * 2,
        controlPort: base + 8 + i,
        rtpPorts: { min: base + 12 + i * 4, max: base + 15 + i * 4 },
        toneHz: TONES[who],
      });
    });
    for (const who of ['attorney', 'interpreter', 'client'] as const) {
      const phone = phones[who];
      await phone.start();
      phone.dial(`sip:parley@127.0.0.1:${base}`);
      await phone.waitForEvent('CALL_ESTABLISHED');
      await phone.sendKeys(await seatPin(t.database.prisma, PIN_SECRET, consultationId, ROLE[who]));
    }
    await until(
      'everyone connected by phone',
      () => {
        const people = t.server.signaling.liveCalls.get(consultationId)?.state().participants ?? [];
        return ['ATTORNEY', 'INTERPRETER', 'CLIENT'].every(
          (role) => people.find((p) => p.role === role)?.status === 'connected',
        );
      },
      30_000,
    );
    // The joining prompt is over and everyone hears the room.
    await wait(2500);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(Object.values(phones).map((p) => p.stop()));
    await t?.close();
  }, 60_000);

  it('shows each phone caller as on the phone in the call state', () => {
    expect(
      call()
        .state()
        .participants.map((p) => p.device),
    ).toEqual(['PHONE', 'PHONE', 'PHONE']);
  });

  it("the client's *1 is refused and changes nothing: no sidebar, the same routing, nothing logged", async () => {
    const routingBefore = call().listenerRouting(idOf('client'));
    await phones.client.sendKeys('*1');
    // The refusal is spoken to the client in place of the call: speech, not the others' tones.
    const duringRefusal = await listen(phones.client, 1500);
    expect(duringRefusal.level).toBeGreaterThan(300);
    expect(duringRefusal.attorney + duringRefusal.interpreter).toBeLessThan(0.05);
    expect(viewOf('client').sidebar.active).toBe(false);
    expect(call().listenerRouting(idOf('client'))).toEqual(routingBefore);
    expect(sent('client', 'attorney')).toBe(true);
    expect(await events('SIDEBAR_STARTED')).toEqual([]);
  }, 30_000);

  it("the attorney's *1 starts the sidebar: the state says so, the client's routing stops both, and the client hears neither; *1 again ends it", async () => {
    await phones.attorney.sendKeys('*1');
    await until('the sidebar on', () => viewOf('attorney').sidebar.active);
    expect(new Set(viewOf('attorney').sidebar.memberIds)).toEqual(
      new Set([idOf('attorney'), idOf('interpreter')]),
    );
    await until('the routing applied', () => sent('client', 'attorney') === false);
    expect(sent('client', 'interpreter')).toBe(false);
    expect(sent('interpreter', 'attorney')).toBe(true);
    const clientHears = await listen(phones.client);
    expect(clientHears.attorney).toBeLessThan(0.01);
    expect(clientHears.interpreter).toBeLessThan(0.01);
    const started = await events('SIDEBAR_STARTED');
    expect(started).toHaveLength(1);
    expect(started[0]!.actorRole).toBe('ATTORNEY');

    await phones.attorney.sendKeys('*1');
    await until('the sidebar off', () => !viewOf('attorney').sidebar.active);
    await until('the client hears the attorney again', () => sent('client', 'attorney') === true);
  }, 45_000);

  it("the interpreter's *2 switches to SIMULTANEOUS into Spanish (the attorney no longer receives the interpreter), and *2 again back", async () => {
    await phones.interpreter.sendKeys('*2');
    await until('simultaneous', () => viewOf('interpreter').mode === 'SIMULTANEOUS');
    expect(viewOf('interpreter').renderingInto).toBe('es');
    await until('the routing applied', () => sent('attorney', 'interpreter') === false);
    const changed = await events('ROUTING_CHANGED');
    expect(changed.at(-1)!.payload).toEqual({ mode: 'SIMULTANEOUS', direction: { from: 'en', to: 'es' } });

    await phones.interpreter.sendKeys('*2');
    await until('consecutive', () => viewOf('interpreter').mode === 'CONSECUTIVE');
    await until('everyone hears everyone', () => sent('attorney', 'interpreter') === true);
  }, 45_000);

  it('keys sent as SIP INFO (the PBX fallback) work the same: the attorney’s *1 over INFO starts and ends the sidebar', async () => {
    const leg = [...t.server.phone!.calls.values()].find((c) =>
      c.dialog.remote.uri.includes('keypad-attorney'),
    )!;
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const answers: string[] = [];
    socket.on('message', (m) => answers.push(m.toString('latin1').split('\r\n')[0]!));
    let cseq = 100;
    const info = (key: string) => {
      const body = `Signal=${key}\r\nDuration=160\r\n`;
      const message = [
        `INFO sip:parley@127.0.0.1:${sipPort} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${socket.address().port};branch=z9hG4bKinfo${cseq}`,
        `From: <${leg.dialog.remote.uri}>;tag=${leg.remoteTag}`,
        `To: <${leg.dialog.local.uri}>;tag=${leg.localTag}`,
        `Call-ID: ${leg.callId}`,
        `CSeq: ${cseq++} INFO`,
        'Content-Type: application/dtmf-relay',
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n');
      socket.send(Buffer.from(message, 'latin1'), sipPort, '127.0.0.1');
    };
    try {
      info('*');
      info('1');
      await until('the sidebar on, by INFO', () => viewOf('attorney').sidebar.active);
      await until('the client’s routing applied', () => sent('client', 'attorney') === false);
      expect(answers.filter((a) => a.startsWith('SIP/2.0 200'))).toHaveLength(2);
      info('*');
      info('1');
      await until('the sidebar off, by INFO', () => !viewOf('attorney').sidebar.active);
      await until('the client hears the attorney again', () => sent('client', 'attorney') === true);
    } finally {
      socket.close();
    }
  }, 30_000);

  it("the interpreter's *3 in consecutive and *4 with no booth partner are refused and change nothing", async () => {
    const before = viewOf('interpreter');
    await phones.interpreter.sendKeys('*3');
    await phones.interpreter.sendKeys('*4');
    await wait(1000);
    const after = viewOf('interpreter');
    expect(after.mode).toBe('CONSECUTIVE');
    expect(after.interpretation!.interpreters).toEqual(before.interpretation!.interpreters);
    expect(await events('INTERPRETER_HANDOVER')).toEqual([]);
  }, 30_000);

  it('a please-pause asked of the phone attorney beeps in their ear, and their *5 acknowledges it', async () => {
    const interpreterSeat = {
      participantId: idOf('interpreter'),
      role: 'INTERPRETER' as const,
      displayName: 'Interpreter',
      device: 'PHONE' as const,
    };
    // The interpreter asks from the console's message (the phone has no key for it).
    call().pleasePause(interpreterSeat, idOf('attorney'));
    const heard = await listen(phones.attorney, 1500);
    expect(heard.alert, 'the alert’s beeps').toBeGreaterThan(0.02);
    const open = viewOf('attorney').interpretation!.pauseRequests!;
    expect(open).toHaveLength(1);

    await phones.attorney.sendKeys('*5');
    await until('the interpreter sees it acknowledged', () =>
      viewOf('interpreter').interpretation!.pauseRequests!.some((r) => r.acknowledgedAt !== null),
    );
    expect(viewOf('attorney').interpretation!.pauseRequests).toEqual([]);
    await until('logged', async () => (await events('PAUSE_ACKNOWLEDGED')).length === 1);
    const [acknowledged] = await events('PAUSE_ACKNOWLEDGED');
    expect(acknowledged!.payload).toMatchObject({
      requestId: open[0]!.requestId,
      participantId: idOf('attorney'),
      role: 'ATTORNEY',
    });
  }, 45_000);
});
