import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAUSE_REQUESTS_PER_MINUTE, type BackChannelNote, type BothLiveMessage } from '@parley/shared';
import { loadConfig } from '../config.ts';
import { demoKioskCredential } from '../db/demoData.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { SessionLogRepository } from '../sessionLog/SessionLogRepository.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { SignalingTestClient, type SignalingTestPeer } from './testing/SignalingTestClient.ts';
import { kioskCallTicket, userCallTicket } from './testing/tickets.ts';

/**
 * Interpretation as professional interpreters work (issue 17), through the server as startServer
 * builds it and the default (werift) engine: headless peers send stamped packets over loopback and
 * every claim about who hears whom is checked on the packets that arrived.
 *
 * A relay call: attorney (English) ↔ Lucía (English ↔ Spanish) ↔ Ixchel (Spanish ↔ Mam) ↔ client
 * (Mam, at the kiosk). A booth call: Lucía and Ixchel as partners of English ↔ Spanish.
 */

const ATTORNEY = 0;
const SPANISH = 1;
const MAM = 2;
const CLIENT = 3;

let t: TestServer;
let kioskToken: string;
let tokens: Record<'attorney' | 'lucia' | 'ixchel', string>;
let ids: { attorney: string; lucia: string; ixchel: string };
let relayCall: string;
let boothCall: string;
const opened: SignalingTestClient[] = [];

async function connect(name: string): Promise<SignalingTestClient> {
  const c = await SignalingTestClient.connect(t.url, name);
  opened.push(c);
  return c;
}

function peerOf(c: SignalingTestClient): SignalingTestPeer {
  if (!c.peer) throw new Error(`${c.name} has no media`);
  return c.peer;
}

function cutNow(...clients: SignalingTestClient[]): Map<number, number> {
  return new Map(clients.map((c) => [peerOf(c).index, peerOf(c).sent]));
}

function receivedAfter(listener: SignalingTestClient, speaker: number, cut: Map<number, number>): number {
  return peerOf(listener)
    .from(speaker)
    .filter((r) => r.seq > (cut.get(speaker) ?? 0)).length;
}

function expectRefused(ack: { ok: boolean; error?: { code: string } }, code: string): void {
  expect(ack.ok).toBe(false);
  expect(ack.error?.code).toBe(code);
}

function gainOf(listener: SignalingTestClient, speakerId: string): number | undefined {
  const track = listener.routing?.tracks.find((tr) => tr.kind === 'audio' && tr.speakerId === speakerId);
  return track?.sent ? track.gain : undefined;
}

/** Seats the further interpreter (Ixchel) on a consultation with her pair, as a booking does. */
async function addFurtherInterpreter(consultationId: string, pair: [string, string]): Promise<void> {
  const db = t.database.prisma;
  const consultation = await db.consultation.findUniqueOrThrow({ where: { id: consultationId } });
  await db.consultationInterpreter.create({
    data: {
      organizationId: consultation.organizationId,
      consultationId,
      interpreterId: ids.ixchel,
      languageA: pair[0],
      languageB: pair[1],
    },
  });
}

beforeAll(async () => {
  t = await startTestServer({
    media: { ...loadConfig().media, engine: 'werift', workers: 1, listenAddresses: ['127.0.0.1'] },
  });
  const db = t.database.prisma;
  const [attorney, lucia, ixchel] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { email: 'attorney@parley.demo' } }),
    db.user.findUniqueOrThrow({ where: { email: 'interpreter@parley.demo' } }),
    db.user.findUniqueOrThrow({ where: { email: 'mayan@parley.demo' } }),
  ]);
  ids = { attorney: attorney.id, lucia: lucia.id, ixchel: ixchel.id };
  relayCall = await insertDemoConsultation(db, { startsInMinutes: -1, kioskPin: '600111' });
  await db.consultation.update({ where: { id: relayCall }, data: { language: 'mam' } });
  await addFurtherInterpreter(relayCall, ['es', 'mam']);
  boothCall = await insertDemoConsultation(db, { startsInMinutes: -1, kioskPin: '600222' });
  await addFurtherInterpreter(boothCall, ['en', 'es']);
  const [a, l, x] = await Promise.all([
    t.login('attorney@parley.demo'),
    t.login('interpreter@parley.demo'),
    t.login('mayan@parley.demo'),
  ]);
  tokens = { attorney: a, lucia: l, ixchel: x };
  const kiosk = await t.request('POST', '/api/kiosk/session', {
    body: { credential: demoKioskCredential('ADAMS') },
  });
  kioskToken = kiosk.body.token as string;
});

afterAll(async () => {
  await Promise.allSettled(opened.map((c) => c.close()));
  await t?.close();
});

/** Everyone of a call joined with media and connected, each sending stamped packets. */
async function joinAll(consultationId: string) {
  const attorney = await connect('attorney');
  await attorney.joinWithMedia(await userCallTicket(t, tokens.attorney, consultationId), ATTORNEY);
  const lucia = await connect('lucia');
  await lucia.joinWithMedia(await userCallTicket(t, tokens.lucia, consultationId), SPANISH);
  const ixchel = await connect('ixchel');
  await ixchel.joinWithMedia(await userCallTicket(t, tokens.ixchel, consultationId), MAM);
  const client = await connect('client');
  await client.joinWithMedia(await kioskCallTicket(t, kioskToken, consultationId), CLIENT);
  const all = [attorney, lucia, ixchel, client];
  await attorney.waitForState(
    (s) => s.participants.length === 4 && s.participants.every((p) => p.status === 'connected'),
    'all four connected',
  );
  for (const c of all) peerOf(c).startSending();
  return { attorney, lucia, ixchel, client, all };
}

describe('a relay call: English ↔ Spanish ↔ Mam', () => {
  let call: Awaited<ReturnType<typeof joinAll>>;
  const clientId = () => `client:${relayCall}`;

  it('seats the relay interpreter with her pair; each interpreter sees the other, each listener their channel', async () => {
    call = await joinAll(relayCall);
    const view = (
      await call.ixchel.waitForState(
        (s) => (s.interpretation?.interpreters.length ?? 0) === 2,
        'two interpreters',
      )
    ).interpretation!;
    expect(view.interpreters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ participantId: ids.lucia, pair: ['en', 'es'], live: true, partnerIds: [] }),
        expect.objectContaining({
          participantId: ids.ixchel,
          pair: ['es', 'mam'],
          live: true,
          partnerIds: [],
        }),
      ]),
    );
    expect(call.client.state?.interpretation?.channel).toBe('mam');
    expect(call.attorney.state?.interpretation?.channel).toBe('en');
  });

  it('the attorney speaks: Spanish from the floor into es, Mam relays Spanish into mam; the attorney gets no packet of the Mam channel, the client none of the Spanish one', async () => {
    expect(await call.lucia.send('setInterpretation', { mode: 'SIMULTANEOUS', renderingInto: 'es' })).toEqual(
      {
        ok: true,
        data: null,
      },
    );
    expect(
      await call.ixchel.send('setInterpreterInput', { input: { kind: 'RELAY', fromId: ids.lucia } }),
    ).toEqual({
      ok: true,
      data: null,
    });
    expect(await call.ixchel.send('setInterpreterOutput', { renderingInto: 'mam' })).toEqual({
      ok: true,
      data: null,
    });
    const cut = cutNow(...call.all);
    await waitUntil(
      () =>
        receivedAfter(call.ixchel, SPANISH, cut) >= 25 &&
        receivedAfter(call.client, MAM, cut) >= 25 &&
        receivedAfter(call.client, ATTORNEY, cut) >= 25 &&
        receivedAfter(call.lucia, ATTORNEY, cut) >= 25 &&
        receivedAfter(call.attorney, CLIENT, cut) >= 25,
      'the relay chain carries 25 packets at every link',
    );
    expect(receivedAfter(call.attorney, MAM, cut)).toBe(0);
    expect(receivedAfter(call.attorney, SPANISH, cut)).toBe(0);
    expect(receivedAfter(call.client, SPANISH, cut)).toBe(0);
    // The client hears the attorney under the Mam channel, ducked; the relaying interpreter
    // hears the floor ducked under her source.
    await waitUntil(() => gainOf(call.client, ids.attorney) === 0.2, "the client's original is ducked");
    expect(gainOf(call.client, ids.ixchel)).toBe(1);
    expect(gainOf(call.ixchel, ids.lucia)).toBe(1);
    expect(gainOf(call.ixchel, ids.attorney)).toBe(0.2);
  });

  it('the client speaks: Mam from the floor into es, Spanish relays Mam into en; still no cross-channel packet', async () => {
    await call.ixchel.send('setInterpreterInput', { input: { kind: 'FLOOR' } });
    await call.ixchel.send('setInterpreterOutput', { renderingInto: 'es' });
    await call.lucia.send('setInterpreterInput', { input: { kind: 'RELAY', fromId: ids.ixchel } });
    expect(await call.lucia.send('setInterpreterOutput', { renderingInto: 'en' })).toEqual({
      ok: true,
      data: null,
    });
    const cut = cutNow(...call.all);
    await waitUntil(
      () =>
        receivedAfter(call.lucia, MAM, cut) >= 25 &&
        receivedAfter(call.attorney, SPANISH, cut) >= 25 &&
        receivedAfter(call.attorney, CLIENT, cut) >= 25 &&
        receivedAfter(call.ixchel, CLIENT, cut) >= 25,
      'the reverse chain carries 25 packets at every link',
    );
    expect(receivedAfter(call.attorney, MAM, cut)).toBe(0);
    expect(receivedAfter(call.client, SPANISH, cut)).toBe(0);
    expect(receivedAfter(call.client, MAM, cut)).toBe(0);
    await waitUntil(() => gainOf(call.attorney, clientId()) === 0.2, "the attorney's original is ducked");
  });

  it("a listener's original level is theirs: the attorney's slider changes only the attorney's gain", async () => {
    expect(await call.attorney.send('setOriginalLevel', { level: 65 })).toEqual({ ok: true, data: null });
    await waitUntil(() => gainOf(call.attorney, clientId()) === 0.65, "the attorney's original at 65 %");
    expect(call.attorney.state?.interpretation?.originalLevel).toBe(65);
    expect(call.client.state?.interpretation?.originalLevel).toBe(20);
    expect(await call.client.send('setOriginalLevel', { level: 0 })).toEqual({ ok: true, data: null });
    // Back to the attorney's direction for the client: their original now silent, but still sent.
    await call.lucia.send('setInterpreterInput', { input: { kind: 'FLOOR' } });
    await call.lucia.send('setInterpreterOutput', { renderingInto: 'es' });
    await call.ixchel.send('setInterpreterInput', { input: { kind: 'RELAY', fromId: ids.lucia } });
    await call.ixchel.send('setInterpreterOutput', { renderingInto: 'mam' });
    await waitUntil(() => gainOf(call.client, ids.attorney) === 0, "the client's original at 0 %");
    // Nobody renders into English now: nothing replaces the client's voice, so it is at full level
    // for the attorney; their chosen level is kept for the next time it is interpreted.
    expect(gainOf(call.attorney, clientId())).toBe(1);
    expect(call.attorney.state?.interpretation?.originalLevel).toBe(65);
  });

  it('refuses the wrong role, a bad value and a handover with nobody to hand to, changing nothing', async () => {
    const before = JSON.stringify(call.ixchel.state?.interpretation?.interpreters);
    expectRefused(
      await call.client.send('setInterpreterInput', { input: { kind: 'FLOOR' } }),
      'FORBIDDEN_ROLE',
    );
    expectRefused(
      await call.attorney.send('setInterpreterOutput', { renderingInto: 'en' }),
      'FORBIDDEN_ROLE',
    );
    expectRefused(await call.attorney.send('handover', { action: 'TAKE_OVER' }), 'FORBIDDEN_ROLE');
    expectRefused(await call.client.send('backChannel', { text: 'hola' }), 'FORBIDDEN_ROLE');
    expectRefused(await call.lucia.send('setOriginalLevel', { level: 50 }), 'FORBIDDEN_ROLE');
    expectRefused(
      await call.ixchel.send('setInterpreterOutput', { renderingInto: 'en' }),
      'VALIDATION_FAILED',
    );
    expectRefused(
      await call.ixchel.send('setInterpreterInput', { input: { kind: 'RELAY', fromId: ids.ixchel } }),
      'VALIDATION_FAILED',
    );
    expectRefused(
      await call.ixchel.send('setInterpreterInput', { input: { kind: 'RELAY', fromId: ids.attorney } }),
      'VALIDATION_FAILED',
    );
    expectRefused(await call.attorney.send('setOriginalLevel', { level: 101 }), 'VALIDATION_FAILED');
    expectRefused(await call.attorney.send('setOriginalLevel', { level: 'loud' }), 'VALIDATION_FAILED');
    expectRefused(await call.lucia.send('handover', { action: 'SWAP' }), 'VALIDATION_FAILED');
    expectRefused(await call.lucia.send('backChannel', { text: '   ' }), 'VALIDATION_FAILED');
    expectRefused(await call.lucia.send('backChannel', { text: 'x'.repeat(501) }), 'VALIDATION_FAILED');
    // Lucía and Ixchel cover different pairs: they are not booth partners.
    expectRefused(await call.lucia.send('handover', { action: 'REQUEST' }), 'CONFLICT');
    expectRefused(await call.ixchel.send('handover', { action: 'TAKE_OVER' }), 'CONFLICT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(JSON.stringify(call.ixchel.state?.interpretation?.interpreters)).toBe(before);
  });

  it('the back-channel reaches the other interpreter only, and the log says it was used, never what', async () => {
    const notes: Record<string, BackChannelNote[]> = { lucia: [], ixchel: [], attorney: [], client: [] };
    for (const c of call.all) c.socket.on('backChannel', (note) => notes[c.name]!.push(note));
    const text = 'Slower please, the A-number again';
    expect(await call.lucia.send('backChannel', { text })).toEqual({ ok: true, data: null });
    await call.lucia.send('backChannel', { text: 'second note' });
    await waitUntil(() => notes.ixchel!.length === 2, 'Ixchel has both notes');
    expect(notes.ixchel![0]).toMatchObject({ fromParticipantId: ids.lucia, text });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(notes.attorney).toEqual([]);
    expect(notes.client).toEqual([]);
    expect(notes.lucia).toEqual([]);
    await t.server.sessionLog.flush();
    const events = await new SessionLogRepository(t.database.prisma).chainOf(relayCall);
    const used = events.filter((e) => e.type === 'BACK_CHANNEL_USED');
    // At most once a minute per interpreter.
    expect(used.map((e) => e.payload)).toEqual([{ participantId: ids.lucia }]);
    expect(JSON.stringify(events)).not.toContain('Slower');
    expect(JSON.stringify(events)).not.toContain('second note');
  });

  it('a sidebar of the attorney with the Spanish interpreter reaches neither the Mam interpreter nor the client', async () => {
    expect(await call.attorney.send('setSidebar', { active: true })).toEqual({ ok: true, data: null });
    const cut = cutNow(...call.all);
    await waitUntil(
      () =>
        receivedAfter(call.attorney, SPANISH, cut) >= 25 && receivedAfter(call.lucia, ATTORNEY, cut) >= 25,
      'the sidebar members hear each other',
    );
    // Controls: the outside pair still hears each other.
    await waitUntil(() => receivedAfter(call.client, MAM, cut) >= 10, 'the client still hears Ixchel');
    for (const outside of [call.ixchel, call.client]) {
      expect(receivedAfter(outside, ATTORNEY, cut)).toBe(0);
      expect(receivedAfter(outside, SPANISH, cut)).toBe(0);
    }
    const state = await call.client.waitForState((s) => s.sidebar.active, 'the sidebar');
    expect(new Set(state.sidebar.memberIds)).toEqual(new Set([ids.attorney, ids.lucia]));
    await call.attorney.send('setSidebar', { active: false });
  });

  it('please pause: only the speaker asked sees it, one tap acknowledges it, the interpreter who asked sees that; rate-limited; the log keeps metadata only', async () => {
    const asked: Record<string, unknown[]> = { lucia: [], ixchel: [], attorney: [], client: [] };
    for (const c of call.all) c.socket.on('pleasePause', (m) => asked[c.name]!.push(m));
    expect(await call.ixchel.send('pleasePause', { speakerId: clientId() })).toEqual({
      ok: true,
      data: null,
    });
    const seen = await call.client.waitForState(
      (s) => (s.interpretation?.pauseRequests ?? []).length === 1,
      'the client is asked to pause',
    );
    const request = seen.interpretation!.pauseRequests![0]!;
    expect(request).toMatchObject({
      fromParticipantId: ids.ixchel,
      toParticipantId: clientId(),
      acknowledgedAt: null,
    });
    await waitUntil(() => asked.client!.length === 1, 'the client is told');
    expect(call.attorney.state?.interpretation?.pauseRequests).toEqual([]);
    expect(asked.attorney).toEqual([]);
    expect(asked.lucia).toEqual([]);

    // Refused, changing nothing: the wrong person or role, a bad speaker or request id.
    expectRefused(await call.attorney.send('acknowledgePause', { requestId: request.requestId }), 'CONFLICT');
    expectRefused(
      await call.lucia.send('acknowledgePause', { requestId: request.requestId }),
      'FORBIDDEN_ROLE',
    );
    expectRefused(await call.client.send('pleasePause', { speakerId: ids.attorney }), 'FORBIDDEN_ROLE');
    expectRefused(await call.lucia.send('pleasePause', { speakerId: ids.ixchel }), 'VALIDATION_FAILED');
    expectRefused(await call.lucia.send('pleasePause', { speakerId: 'nobody' }), 'VALIDATION_FAILED');
    expectRefused(await call.lucia.send('pleasePause', { speakerId: 5 }), 'VALIDATION_FAILED');
    expectRefused(await call.client.send('acknowledgePause', { requestId: 'soon' }), 'VALIDATION_FAILED');
    expectRefused(
      await call.client.send('acknowledgePause', { requestId: request.requestId, note: 'ok' }),
      'VALIDATION_FAILED',
    );
    expect(call.client.state?.interpretation?.pauseRequests?.[0]?.acknowledgedAt).toBeNull();

    expect(await call.client.send('acknowledgePause', { requestId: request.requestId })).toEqual({
      ok: true,
      data: null,
    });
    await call.ixchel.waitForState(
      (s) => s.interpretation?.pauseRequests?.[0]?.acknowledgedAt != null,
      'Ixchel sees the acknowledgement',
    );
    // Only the interpreter who asked: another's request could tell one outside a sidebar who talks in it.
    expect(call.lucia.state?.interpretation?.pauseRequests).toEqual([]);
    await call.client.waitForState(
      (s) => (s.interpretation?.pauseRequests ?? []).length === 0,
      'the request leaves the client’s screen',
    );
    expectRefused(await call.client.send('acknowledgePause', { requestId: request.requestId }), 'CONFLICT');

    for (let n = 1; n < PAUSE_REQUESTS_PER_MINUTE; n++)
      expect((await call.ixchel.send('pleasePause', { speakerId: clientId() })).ok).toBe(true);
    expectRefused(await call.ixchel.send('pleasePause', { speakerId: clientId() }), 'RATE_LIMITED');

    await t.server.sessionLog.flush();
    const events = await new SessionLogRepository(t.database.prisma).chainOf(relayCall);
    const requested = events.filter((e) => e.type === 'PAUSE_REQUESTED');
    expect(requested).toHaveLength(PAUSE_REQUESTS_PER_MINUTE);
    expect(requested[0]?.payload).toEqual({
      requestId: request.requestId,
      fromParticipantId: ids.ixchel,
      toParticipantId: clientId(),
      toRole: 'CLIENT',
    });
    const acknowledged = events.filter((e) => e.type === 'PAUSE_ACKNOWLEDGED');
    expect(acknowledged.map((e) => e.payload)).toEqual([
      {
        requestId: request.requestId,
        participantId: clientId(),
        role: 'CLIENT',
        afterMs: expect.any(Number),
      },
    ]);
  });

  it('ends', async () => {
    for (const c of call.all) peerOf(c).stopSending();
    expect((await call.attorney.send('endCall', {})).ok).toBe(true);
  });
});

describe('booth partners of English ↔ Spanish', () => {
  let call: Awaited<ReturnType<typeof joinAll>>;

  it('the partner who joins second rests: the client hears the live one only, the resting one hears both', async () => {
    call = await joinAll(boothCall);
    await call.lucia.send('setInterpretation', { mode: 'SIMULTANEOUS', renderingInto: 'es' });
    const state = await call.ixchel.waitForState(
      (s) =>
        s.interpretation?.interpreters.find((i) => i.participantId === ids.lucia)?.renderingInto === 'es',
      'Lucía into es',
    );
    expect(state.interpretation!.interpreters.find((i) => i.participantId === ids.ixchel)).toMatchObject({
      live: false,
      partnerIds: [ids.lucia],
    });
    const cut = cutNow(...call.all);
    await waitUntil(
      () =>
        receivedAfter(call.client, SPANISH, cut) >= 25 &&
        receivedAfter(call.ixchel, SPANISH, cut) >= 25 &&
        receivedAfter(call.lucia, MAM, cut) >= 25 &&
        receivedAfter(call.ixchel, ATTORNEY, cut) >= 25,
      'live partner heard by the client; partners hear each other',
    );
    expect(receivedAfter(call.client, MAM, cut)).toBe(0);
    expect(receivedAfter(call.attorney, MAM, cut)).toBe(0);
  });

  it('hand over: request, accept; from the acknowledgement on the client hears the other partner', async () => {
    expectRefused(await call.ixchel.send('handover', { action: 'ACCEPT' }), 'CONFLICT');
    expect(await call.lucia.send('handover', { action: 'REQUEST' })).toEqual({ ok: true, data: null });
    await call.ixchel.waitForState(
      (s) => (s.interpretation?.handovers ?? []).length === 1,
      'the request shown',
    );
    expect(await call.ixchel.send('handover', { action: 'ACCEPT' })).toEqual({ ok: true, data: null });
    const cut = cutNow(...call.all);
    await waitUntil(() => receivedAfter(call.client, MAM, cut) >= 25, 'the client hears Ixchel');
    expect(receivedAfter(call.client, SPANISH, cut)).toBe(0);
    const view = call.client.state!.interpretation!;
    expect(view.interpreters.find((i) => i.participantId === ids.ixchel)).toMatchObject({
      live: true,
      renderingInto: 'es',
    });
    expect(view.interpreters.find((i) => i.participantId === ids.lucia)).toMatchObject({ live: false });
  });

  it('both live: each partner is warned; take over now rests the other at once', async () => {
    const warnings: Record<string, BothLiveMessage[]> = { lucia: [], ixchel: [], attorney: [], client: [] };
    for (const c of call.all) c.socket.on('bothLive', (m) => warnings[c.name]!.push(m));
    expect(await call.lucia.send('handover', { action: 'GO_LIVE' })).toEqual({ ok: true, data: null });
    await waitUntil(() => warnings.lucia!.length === 1 && warnings.ixchel!.length === 1, 'both warned');
    expect(new Set(warnings.ixchel![0]!.participantIds)).toEqual(new Set([ids.lucia, ids.ixchel]));
    expect(warnings.attorney).toEqual([]);
    expect(warnings.client).toEqual([]);
    expect(call.lucia.state?.interpretation?.bothLive).toHaveLength(1);
    expect(await call.lucia.send('handover', { action: 'TAKE_OVER' })).toEqual({ ok: true, data: null });
    const cut = cutNow(...call.all);
    await waitUntil(() => receivedAfter(call.client, SPANISH, cut) >= 25, 'the client hears Lucía');
    expect(receivedAfter(call.client, MAM, cut)).toBe(0);
    expect(call.lucia.state?.interpretation?.bothLive).toEqual([]);
  });

  it('the session log records each handover, metadata only', async () => {
    for (const c of call.all) peerOf(c).stopSending();
    await call.attorney.send('endCall', {});
    await t.server.sessionLog.flush();
    const events = await new SessionLogRepository(t.database.prisma).chainOf(boothCall);
    expect(events.filter((e) => e.type === 'INTERPRETER_HANDOVER').map((e) => e.payload)).toEqual([
      { fromParticipantId: ids.lucia, toParticipantId: ids.ixchel, how: 'ACCEPTED' },
      { fromParticipantId: ids.ixchel, toParticipantId: ids.lucia, how: 'TAKEN_OVER' },
    ]);
  });
});
