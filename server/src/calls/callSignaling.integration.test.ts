import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionEventBodySchema, type CallRole, type CallState } from '@parley/shared';
import { loadConfig } from '../config.ts';
import { demoKioskCredential } from '../db/demoData.ts';
import { createLogger } from '../logger.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { findWorkerBinary } from '../media/mediasoup/workerBinary.ts';
import { SessionLogRepository } from '../sessionLog/SessionLogRepository.ts';
import { summarizeConsultation } from '../sessionLog/summarizeConsultation.ts';
import { verifyChain } from '../sessionLog/verifyChain.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { CallAccessRepository } from './CallAccessRepository.ts';
import { CallSignaling } from './callSignaling.ts';
import { signCallToken } from './callTokens.ts';
import { SignalingTestClient, type SignalingTestPeer } from './testing/SignalingTestClient.ts';
import { kioskCallTicket, userCallTicket } from './testing/tickets.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';

/**
 * Real signalling end to end, on each media engine: socket.io clients join with tickets from the
 * REST API; headless peers negotiate over the socket as a browser would — on werift they answer the
 * server's offer, on mediasoup they connect transports, produce and consume as mediasoup-client
 * does (MediasoupTestPeer: werift peer connections against the worker, ICE, DTLS and SRTP real) —
 * and send stamped packets over loopback, and every claim about who hears whom is checked on the
 * packets that actually arrived.
 *
 * The main call (consultation A) runs on a CallSignaling of its own, attached to a bare HTTP server
 * but sharing the test server's media engine, database and session log writer: the only difference
 * from production wiring is a short reconnection grace period. The refusals run against the test
 * server's own signalling, exactly as startServer builds it.
 */

const GRACE_MS = 2_500;
/** Test peers' stamps: who sent a packet. */
const ATTORNEY = 0;
const INTERPRETER = 1;
const CLIENT = 2;
const OTHER_CALL_CLIENT = 3;
const INTERPRETER_AGAIN = 4;
const CLIENT_AGAIN = 5;
const INTERPRETER_RESTARTED = 6;

let t: TestServer;
let signalingHttp: Server;
let signaling: CallSignaling;
let signalingUrl: string;
let userTokens: Record<'attorney' | 'interpreter' | 'staff', string>;
let kioskToken: string;
let ids: { attorney: string; interpreter: string; organization: string; otherOrganization: string };
/**
 * A: the main call; B: another call on the same engine; C: refusals on the test server;
 * D: cancelled; E: a join racing the end.
 */
let consultationA: string;
let consultationB: string;
let consultationC: string;
let consultationD: string;
let consultationE: string;

const opened: SignalingTestClient[] = [];
let attorney: SignalingTestClient;
let interpreter: SignalingTestClient;
let client: SignalingTestClient;

function insertConsultation(pin: string, status: 'SCHEDULED' | 'CANCELLED' = 'SCHEDULED') {
  return insertDemoConsultation(t.database.prisma, { startsInMinutes: -1, kioskPin: pin, status });
}

function userTicket(who: keyof typeof userTokens, consultationId: string): Promise<string> {
  return userCallTicket(t, userTokens[who], consultationId);
}

function kioskTicket(consultationId: string): Promise<string> {
  return kioskCallTicket(t, kioskToken, consultationId);
}

async function connect(url: string, name: string): Promise<SignalingTestClient> {
  const c = await SignalingTestClient.connect(url, name);
  opened.push(c);
  return c;
}

function peerOf(c: SignalingTestClient): SignalingTestPeer {
  if (!c.peer) throw new Error(`${c.name} has no media`);
  return c.peer;
}

/** Packets `listener` received from test peer `speaker` that were sent after `cut[speaker]`. */
function receivedAfter(listener: SignalingTestClient, speaker: number, cut: Map<number, number>): number {
  return peerOf(listener)
    .from(speaker)
    .filter((r) => r.seq > (cut.get(speaker) ?? 0)).length;
}

/** How many packets every sending peer has sent so far. */
function cutNow(...clients: SignalingTestClient[]): Map<number, number> {
  return new Map(clients.map((c) => [peerOf(c).index, peerOf(c).sent]));
}

function statusOf(state: CallState | undefined, participantId: string): string | undefined {
  return state?.participants.find((p) => p.participantId === participantId)?.status;
}

/** Asserts an error ack with `code`. */
function expectRefused(ack: { ok: boolean; error?: { code: string } }, code: string): void {
  expect(ack.ok).toBe(false);
  expect(ack.error?.code).toBe(code);
}

/**
 * The engines signalling runs over. Without a mediasoup worker its run is skipped with the reason,
 * unless PARLEY_REQUIRE_MEDIASOUP=1 (CI), where that fails.
 */
const workerBinary = findWorkerBinary();
const ENGINES = [
  { name: 'werift' as const, unavailable: undefined },
  {
    name: 'mediasoup' as const,
    unavailable: workerBinary.available ? undefined : workerBinary.reason,
  },
];

describe.each(ENGINES)('call signalling on the $name engine', (engine) => {
  if (engine.unavailable && process.env.PARLEY_REQUIRE_MEDIASOUP !== '1') {
    it.skip(`skipped: ${engine.unavailable}`, () => undefined);
    return;
  }

  beforeAll(async () => {
    if (engine.unavailable)
      throw new Error(`PARLEY_REQUIRE_MEDIASOUP=1 but mediasoup cannot run: ${engine.unavailable}`);
    t = await startTestServer({
      media: { ...loadConfig().media, engine: engine.name, workers: 1, listenAddresses: ['127.0.0.1'] },
    });
    opened.length = 0;
    const db = t.database.prisma;
    const [attorneyUser, interpreterUser, otherOrg] = await Promise.all([
      db.user.findUniqueOrThrow({ where: { email: 'attorney@parley.demo' } }),
      db.user.findUniqueOrThrow({ where: { email: 'interpreter@parley.demo' } }),
      db.organization.findFirstOrThrow({ where: { slug: 'other-legal-aid' } }),
    ]);
    ids = {
      attorney: attorneyUser.id,
      interpreter: interpreterUser.id,
      organization: attorneyUser.organizationId,
      otherOrganization: otherOrg.id,
    };
    consultationA = await insertConsultation('314159');
    consultationB = await insertConsultation('271828');
    consultationC = await insertConsultation('161803');
    consultationD = await insertConsultation('141421', 'CANCELLED');
    consultationE = await insertConsultation('173205');
    const [a, i, s] = await Promise.all([
      t.login('attorney@parley.demo'),
      t.login('interpreter@parley.demo'),
      t.login('staff@parley.demo'),
    ]);
    userTokens = { attorney: a, interpreter: i, staff: s };
    const kiosk = await t.request('POST', '/api/kiosk/session', {
      body: { credential: demoKioskCredential('ADAMS') },
    });
    kioskToken = kiosk.body.token as string;

    signalingHttp = createServer();
    signaling = new CallSignaling(signalingHttp, {
      config: t.config,
      logger: createLogger('silent'),
      engine: t.server.engine,
      calls: new CallAccessRepository(db),
      log: t.server.sessionLog,
      reconnectGraceMs: GRACE_MS,
    });
    await new Promise<void>((resolve) => signalingHttp.listen(0, '127.0.0.1', resolve));
    signalingUrl = `http://127.0.0.1:${(signalingHttp.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.allSettled(opened.map((c) => c.close()));
    await signaling?.close();
    await new Promise<void>((resolve) => {
      if (!signalingHttp) return resolve();
      signalingHttp.close(() => resolve());
      signalingHttp.closeAllConnections();
    });
    await t?.close();
  });

  describe('a three-party call over real signalling', () => {
    it('seats attorney, interpreter and kiosk client; the client waits in the lobby until the attorney connects; everyone hears the other two', async () => {
      client = await connect(signalingUrl, 'client');
      const clientJoin = await client.joinWithMedia(await kioskTicket(consultationA), CLIENT);
      expect(clientJoin).toMatchObject({ participantId: `client:${consultationA}`, role: 'CLIENT' });
      expect(clientJoin.state.lobby).toBe(true);
      expect(clientJoin.state.mode).toBe('CONSECUTIVE');

      interpreter = await connect(signalingUrl, 'interpreter');
      const interpreterJoin = await interpreter.joinWithMedia(
        await userTicket('interpreter', consultationA),
        INTERPRETER,
      );
      expect(interpreterJoin).toMatchObject({ participantId: ids.interpreter, role: 'INTERPRETER' });
      await waitUntil(
        () => statusOf(client.state, ids.interpreter) === 'connected',
        'the client sees the interpreter connected',
      );
      // Without the attorney the client is still in the lobby, whoever else is there, and the lobby
      // is isolation, not a label: neither the client nor the interpreter receives the other.
      expect(client.states.every((s) => s.lobby)).toBe(true);
      peerOf(client).startSending();
      peerOf(interpreter).startSending();
      await waitUntil(
        () => peerOf(interpreter).sent >= 25 && peerOf(client).sent >= 25,
        '25 packets each sent',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(peerOf(client).from(peerOf(interpreter).index)).toEqual([]);
      expect(peerOf(interpreter).from(peerOf(client).index)).toEqual([]);
      peerOf(client).stopSending();
      peerOf(interpreter).stopSending();

      attorney = await connect(signalingUrl, 'attorney');
      await attorney.joinWithMedia(await userTicket('attorney', consultationA), ATTORNEY);
      await client.waitForState((s) => !s.lobby, 'the lobby open');
      await attorney.waitForState(
        (s) => s.participants.length === 3 && s.participants.every((p) => p.status === 'connected'),
        'all three connected',
      );

      const all = [attorney, interpreter, client];
      for (const c of all) peerOf(c).startSending();
      await waitUntil(
        () =>
          all.every((listener) =>
            all.every(
              (speaker) => speaker === listener || peerOf(listener).from(peerOf(speaker).index).length >= 25,
            ),
          ),
        'everyone has 25 packets from each other participant',
      );
      const seatOf = new Map([
        [ATTORNEY, ids.attorney],
        [INTERPRETER, ids.interpreter],
        [CLIENT, `client:${consultationA}`],
      ]);
      for (const listener of all) {
        const peer = peerOf(listener);
        expect(peer.from(peer.index)).toEqual([]);
        expect(peer.corrupt).toBe(0);
        // Each speaker arrives on the track the routing message names for them, sent at full gain.
        for (const speaker of all) {
          if (speaker === listener) continue;
          const speakerId = seatOf.get(peerOf(speaker).index);
          const track = listener.routing?.tracks.find(
            (tr) => tr.kind === 'audio' && tr.speakerId === speakerId,
          );
          expect(track, `${listener.name} has a track for ${speaker.name}`).toMatchObject({
            sent: true,
            gain: 1,
          });
          expect(new Set(peer.from(peerOf(speaker).index).map((r) => r.mid))).toEqual(new Set([track?.mid]));
        }
      }
    });

    it("the attorney's sidebar cuts the client off from attorney and interpreter at once, and ending it resumes", async () => {
      const started = await attorney.send('setSidebar', { active: true });
      expect(started).toEqual({ ok: true, data: null });
      const cut = cutNow(attorney, interpreter, client);

      // Controls: the members keep hearing each other (and the client), so packets did flow.
      await waitUntil(
        () =>
          receivedAfter(attorney, INTERPRETER, cut) >= 25 &&
          receivedAfter(interpreter, ATTORNEY, cut) >= 25 &&
          receivedAfter(attorney, CLIENT, cut) >= 25,
        'sidebar members have 25 packets sent after the switch',
      );
      expect(receivedAfter(client, ATTORNEY, cut)).toBe(0);
      expect(receivedAfter(client, INTERPRETER, cut)).toBe(0);

      const clientState = await client.waitForState((s) => s.sidebar.active, 'the sidebar');
      expect(new Set(clientState.sidebar.memberIds)).toEqual(new Set([ids.attorney, ids.interpreter]));
      // The client learns nothing about who is talking inside it.
      expect([ids.attorney, ids.interpreter]).not.toContain(clientState.activeSpeakerId);
      await waitUntil(
        () => (client.routing?.tracks ?? []).filter((tr) => tr.kind === 'audio').every((tr) => !tr.sent),
        "the client's routing says nothing is sent to it",
      );

      const ended = await attorney.send('setSidebar', { active: false });
      expect(ended.ok).toBe(true);
      const resumed = cutNow(attorney, interpreter, client);
      await waitUntil(
        () =>
          receivedAfter(client, ATTORNEY, resumed) >= 10 && receivedAfter(client, INTERPRETER, resumed) >= 10,
        'the client hears both again',
      );
      await client.waitForState((s) => !s.sidebar.active, 'the sidebar over');
      expect(peerOf(client).corrupt).toBe(0);
    });

    it('refuses the wrong role and malformed messages from seated participants, changing nothing', async () => {
      const routingsBefore = client.routings.length;
      expectRefused(await client.send('setSidebar', { active: true }), 'FORBIDDEN_ROLE');
      expectRefused(await interpreter.send('setSidebar', { active: true }), 'FORBIDDEN_ROLE');
      expectRefused(
        await attorney.send('setInterpretation', { mode: 'SIMULTANEOUS', renderingInto: 'es' }),
        'FORBIDDEN_ROLE',
      );
      expectRefused(
        await client.send('setInterpretation', { mode: 'SIMULTANEOUS', renderingInto: 'es' }),
        'FORBIDDEN_ROLE',
      );
      expectRefused(await client.send('endCall', {}), 'FORBIDDEN_ROLE');
      expectRefused(await interpreter.send('endCall', {}), 'FORBIDDEN_ROLE');
      expectRefused(await client.send('pleasePause', {}), 'FORBIDDEN_ROLE');

      // Missing fields, wrong types, extra fields, not an object at all.
      expectRefused(await attorney.send('setSidebar', {}), 'VALIDATION_FAILED');
      expectRefused(await attorney.send('setSidebar', { active: 'yes' }), 'VALIDATION_FAILED');
      expectRefused(await attorney.send('setSidebar', { active: true, everyone: true }), 'VALIDATION_FAILED');
      expectRefused(await attorney.send('setSidebar', 'active'), 'VALIDATION_FAILED');
      expectRefused(await attorney.send('endCall', { now: true }), 'VALIDATION_FAILED');
      expectRefused(await client.send('restartMedia', { ice: 'failed' }), 'VALIDATION_FAILED');
      expectRefused(
        await interpreter.send('setInterpretation', { mode: 'BOTH', renderingInto: 'es' }),
        'VALIDATION_FAILED',
      );
      expectRefused(await interpreter.send('setMuted', { audio: true }), 'VALIDATION_FAILED');
      expectRefused(await client.send('answer', { answer: { type: 'answer' } }), 'VALIDATION_FAILED');
      expectRefused(await client.send('candidate', { candidate: { candidate: 7 } }), 'VALIDATION_FAILED');
      // A well-formed answer the media engine cannot use.
      expectRefused(
        await client.send('answer', { answer: { type: 'answer', sdp: 'v=0 this is not an sdp' } }),
        'MEDIA_FAILED',
      );
      // A language that is neither side of this call.
      expectRefused(
        await interpreter.send('setInterpretation', { mode: 'SIMULTANEOUS', renderingInto: 'ht' }),
        'VALIDATION_FAILED',
      );
      // One seat per connection.
      expectRefused(
        await attorney.send('join', { token: await userTicket('attorney', consultationA) }),
        'CONFLICT',
      );

      const state = attorney.state!;
      expect(state.sidebar.active).toBe(false);
      expect(state.mode).toBe('CONSECUTIVE');
      expect(state.participants.every((p) => p.status === 'connected')).toBe(true);
      expect(client.routings.length).toBe(routingsBefore);
      expect(client.ended).toEqual([]);
      // Media still flows to the client after all that.
      const cut = cutNow(attorney, interpreter, client);
      await waitUntil(
        () => receivedAfter(client, ATTORNEY, cut) >= 10 && receivedAfter(client, INTERPRETER, cut) >= 10,
        'the client still hears both',
      );
    });

    it('a participant of another consultation on the same engine gets none of its tracks, routing or packets', async () => {
      const other = await connect(signalingUrl, 'other call client');
      const joined = await other.joinWithMedia(await kioskTicket(consultationB), OTHER_CALL_CLIENT);
      expect(joined.state.consultationId).toBe(consultationB);
      expect(joined.state.participants.map((p) => p.participantId)).toEqual([`client:${consultationB}`]);
      expect(joined.routing?.tracks).toEqual([]);
      peerOf(other).startSending();

      const cut = cutNow(attorney, interpreter, client, other);
      await waitUntil(
        () =>
          receivedAfter(client, ATTORNEY, cut) >= 50 &&
          receivedAfter(attorney, CLIENT, cut) >= 50 &&
          peerOf(other).sent - (cut.get(OTHER_CALL_CLIENT) ?? 0) >= 50,
        'both calls sent 50 more packets',
      );
      expect(peerOf(other).received).toEqual([]);
      for (const c of [attorney, interpreter, client]) {
        expect(peerOf(c).from(OTHER_CALL_CLIENT)).toEqual([]);
        expect(c.routing?.tracks.map((tr) => tr.speakerId)).not.toContain(`client:${consultationB}`);
        expect(c.state?.participants.map((p) => p.participantId)).not.toContain(`client:${consultationB}`);
      }
      for (const state of other.states) {
        expect(state.consultationId).toBe(consultationB);
        expect(state.participants.every((p) => p.participantId === `client:${consultationB}`)).toBe(true);
      }
      for (const routing of other.routings) expect(routing.tracks).toEqual([]);
      await other.close();
    });
  });

  describe('reconnection', () => {
    it('a participant who rejoins within the grace period keeps their seat and their sidebar', async () => {
      expect((await attorney.send('setSidebar', { active: true })).ok).toBe(true);
      await client.waitForState((s) => s.sidebar.active, 'the sidebar');

      // The interpreter's network goes: signalling and media both.
      interpreter.dropSocket();
      await peerOf(interpreter).close();
      await attorney.waitForState(
        (s) => statusOf(s, ids.interpreter) === 'reconnecting',
        'the interpreter reconnecting',
      );

      const back = await connect(signalingUrl, 'interpreter (rejoined)');
      const rejoined = await back.joinWithMedia(
        await userTicket('interpreter', consultationA),
        INTERPRETER_AGAIN,
      );
      interpreter = back;
      expect(rejoined.participantId).toBe(ids.interpreter);
      expect(rejoined.state.sidebar.active).toBe(true);
      expect(rejoined.state.sidebar.memberIds).toContain(ids.interpreter);
      expect(rejoined.state.participants.map((p) => p.participantId).sort()).toEqual(
        [ids.attorney, ids.interpreter, `client:${consultationA}`].sort(),
      );
      peerOf(back).startSending();

      const cut = cutNow(attorney, back, client);
      await waitUntil(
        () =>
          receivedAfter(attorney, INTERPRETER_AGAIN, cut) >= 25 && receivedAfter(back, ATTORNEY, cut) >= 25,
        'attorney and rejoined interpreter hear each other',
      );
      // Still in the sidebar: the client gets nothing from the interpreter's new connection.
      expect(peerOf(client).from(INTERPRETER_AGAIN)).toEqual([]);
      expect(receivedAfter(client, ATTORNEY, cut)).toBe(0);

      expect((await attorney.send('setSidebar', { active: false })).ok).toBe(true);
      await waitUntil(
        () => peerOf(client).from(INTERPRETER_AGAIN).length >= 10,
        'the client hears the rejoined interpreter after the sidebar',
      );

      await t.server.sessionLog.flush();
      const events = await new SessionLogRepository(t.database.prisma).chainOf(consultationA);
      // Quality warnings are the link's own business (a loaded machine drops packets): not asserted here.
      const interpreterEvents = events.filter(
        (e) =>
          (e.payload as { participantId?: string }).participantId === ids.interpreter &&
          e.type !== 'QUALITY_WARNING',
      );
      expect(interpreterEvents.map((e) => e.type)).toEqual(['PARTICIPANT_JOINED', 'PARTICIPANT_RECONNECTED']);
      expect(interpreterEvents[1]?.payload).toMatchObject({
        role: 'INTERPRETER',
        offlineMs: expect.any(Number),
        reason: 'REJOINED',
      });
    });

    it('a participant whose media connection fails gets a new one on the same socket, keeping seat, routing and sidebar', async () => {
      expect((await attorney.send('setSidebar', { active: true })).ok).toBe(true);
      await client.waitForState((s) => s.sidebar.active, 'the sidebar');
      const socketId = interpreter.socket.id;
      const seenByAttorney = attorney.states.length;
      const routingsBefore = interpreter.routings.length;

      // ICE fails on the interpreter's side: the media connection is gone, signalling is not.
      await interpreter.failMedia();
      const restarted = await interpreter.restartMedia(INTERPRETER_RESTARTED);
      expect(interpreter.socket.connected).toBe(true);
      expect(interpreter.socket.id).toBe(socketId);
      // A fresh negotiation of the engine's own kind: werift offers SDP; mediasoup gives new transports.
      if (engine.name === 'werift') {
        expect(restarted.media.kind === 'sdp' && restarted.media.offer.type).toBe('offer');
      } else {
        expect(restarted.media.kind).toBe('mediasoup');
        expect(restarted.media.kind === 'mediasoup' && restarted.media.sendTransport.id).toEqual(
          expect.any(String),
        );
      }
      // The same place: in the sidebar, same participants, same mode; and the new tracks are routed.
      expect(restarted.state.sidebar).toEqual({
        active: true,
        memberIds: expect.arrayContaining([ids.attorney, ids.interpreter]),
      });
      expect(restarted.state.participants.map((p) => p.participantId).sort()).toEqual(
        [ids.attorney, ids.interpreter, `client:${consultationA}`].sort(),
      );
      expect(restarted.state.mode).toBe('CONSECUTIVE');
      // The new connection is routed the same speakers: in werift's answer to the restart; on
      // mediasoup once the new receiving transport has said what it can receive (a pushed routing).
      await waitUntil(() => {
        const latest = [restarted.routing, ...interpreter.routings.slice(routingsBefore)]
          .filter(Boolean)
          .at(-1);
        const speakers = latest?.tracks.filter((tr) => tr.kind === 'audio').map((tr) => tr.speakerId) ?? [];
        return [ids.attorney, `client:${consultationA}`].every((id) => speakers.includes(id));
      }, 'the new connection routed the attorney and the client');
      // The others saw the interpreter reconnecting, then connected again.
      await attorney.waitForState(
        (s) => statusOf(s, ids.interpreter) === 'connected',
        'the interpreter back',
      );
      expect(attorney.states.slice(seenByAttorney).map((s) => statusOf(s, ids.interpreter))).toContain(
        'reconnecting',
      );
      // One media participant for the interpreter in the engine: the new one.
      const room = t.server.engine.getRoom(consultationA);
      expect([...(room?.participants.keys() ?? [])].filter((id) => id === ids.interpreter)).toHaveLength(1);

      peerOf(interpreter).startSending();
      const cut = cutNow(attorney, interpreter, client);
      await waitUntil(
        () =>
          receivedAfter(attorney, INTERPRETER_RESTARTED, cut) >= 25 &&
          receivedAfter(interpreter, ATTORNEY, cut) >= 25,
        'attorney and interpreter hear each other over the new connection',
      );
      // Still a sidebar: the client gets nothing of the new connection.
      expect(peerOf(client).from(INTERPRETER_RESTARTED)).toEqual([]);
      expect(receivedAfter(client, ATTORNEY, cut)).toBe(0);

      expect((await attorney.send('setSidebar', { active: false })).ok).toBe(true);
      await waitUntil(
        () => peerOf(client).from(INTERPRETER_RESTARTED).length >= 10,
        'the client hears the interpreter again after the sidebar',
      );
      expect(peerOf(interpreter).corrupt).toBe(0);

      await t.server.sessionLog.flush();
      const events = await new SessionLogRepository(t.database.prisma).chainOf(consultationA);
      // Quality warnings are the link's own business (a loaded machine drops packets): not asserted here.
      const interpreterEvents = events.filter(
        (e) =>
          (e.payload as { participantId?: string }).participantId === ids.interpreter &&
          e.type !== 'QUALITY_WARNING',
      );
      expect(interpreterEvents.map((e) => (e.payload as { reason?: string }).reason ?? e.type)).toEqual([
        'PARTICIPANT_JOINED',
        'REJOINED',
        'MEDIA_RESTARTED',
      ]);
      expect(interpreterEvents.at(-1)).toMatchObject({
        type: 'PARTICIPANT_RECONNECTED',
        actorUserId: ids.interpreter,
        payload: { role: 'INTERPRETER', offlineMs: expect.any(Number) },
      });
    });

    it('a participant who does not come back within the grace period has left: CONNECTION_LOST', async () => {
      const clientId = `client:${consultationA}`;
      client.dropSocket();
      await peerOf(client).close();
      await attorney.waitForState((s) => statusOf(s, clientId) === 'reconnecting', 'the client reconnecting');
      await waitUntil(
        () => statusOf(attorney.state, clientId) === 'left',
        'the client has left after the grace period',
        GRACE_MS + 10_000,
      );
      await t.server.sessionLog.flush();
      const events = await new SessionLogRepository(t.database.prisma).chainOf(consultationA);
      expect(events.at(-1)).toMatchObject({
        type: 'PARTICIPANT_LEFT',
        payload: { participantId: clientId, role: 'CLIENT', reason: 'CONNECTION_LOST' },
      });

      // Coming back later is a new join, and the kiosk is straight in the call: the attorney is there.
      const again = await connect(signalingUrl, 'client (back)');
      const joined = await again.joinWithMedia(await kioskTicket(consultationA), CLIENT_AGAIN);
      client = again;
      expect(joined.participantId).toBe(clientId);
      await again.waitForState((s) => !s.lobby && statusOf(s, clientId) === 'connected', 'the call');
      peerOf(again).startSending();
      await waitUntil(
        () => peerOf(again).from(ATTORNEY).length >= 10 && peerOf(attorney).from(CLIENT_AGAIN).length >= 10,
        'attorney and returning client hear each other',
      );
    });
  });

  describe('the end of the call', () => {
    it('endCall by the attorney ends it for everyone, completes the consultation and leaves a clean log', async () => {
      const earlyTicket = await userTicket('interpreter', consultationA);
      expect((await attorney.send('endCall', {})).ok).toBe(true);
      for (const c of [attorney, interpreter, client]) {
        await waitUntil(() => c.ended.length > 0, `${c.name} is told the call ended`);
        expect(c.ended).toEqual(['ENDED_BY_ATTORNEY']);
      }
      await waitUntil(() => !signaling.liveCalls.has(consultationA), 'the live call is gone');
      let status = '';
      await waitUntil(() => {
        void t.database.prisma.consultation
          .findUniqueOrThrow({ where: { id: consultationA }, select: { status: true } })
          .then((row) => (status = row.status));
        return status === 'COMPLETED';
      }, 'the consultation is COMPLETED');

      // Seated sockets are seated no more; a ticket issued before the end no longer joins; no new ticket.
      expectRefused(await attorney.send('setSidebar', { active: true }), 'NOT_IN_CONSULTATION');
      const late = await connect(signalingUrl, 'late interpreter');
      expectRefused(await late.join(earlyTicket), 'CALL_ENDED');
      const noTicket = await t.request('POST', `/api/calls/${consultationA}/ticket`, {
        token: userTokens.attorney,
      });
      expect(noTicket.body.error.code).toBe('CALL_ENDED');

      await t.server.sessionLog.flush();
      const events = await new SessionLogRepository(t.database.prisma).chainOf(consultationA);
      const clientId = `client:${consultationA}`;
      const described = events.map((e) => {
        const p = e.payload as { participantId?: string; reason?: string };
        const who =
          p.participantId === ids.attorney
            ? 'attorney'
            : p.participantId === ids.interpreter
              ? 'interpreter'
              : p.participantId === clientId
                ? 'client'
                : undefined;
        return [e.type, who, p.reason].filter(Boolean).join(' ');
      });
      // Quality warnings depend on the machine's load; everything else is fixed by the story above.
      expect(described.filter((d) => !d.startsWith('QUALITY_WARNING'))).toEqual([
        'CALL_STARTED',
        'PARTICIPANT_JOINED client',
        'PARTICIPANT_JOINED interpreter',
        'PARTICIPANT_JOINED attorney',
        'SIDEBAR_STARTED',
        'SIDEBAR_ENDED',
        'SIDEBAR_STARTED',
        'PARTICIPANT_RECONNECTED interpreter REJOINED',
        'SIDEBAR_ENDED',
        'SIDEBAR_STARTED',
        'PARTICIPANT_RECONNECTED interpreter MEDIA_RESTARTED',
        'SIDEBAR_ENDED',
        'PARTICIPANT_LEFT client CONNECTION_LOST',
        'PARTICIPANT_JOINED client',
        'PARTICIPANT_LEFT client CALL_ENDED',
        'PARTICIPANT_LEFT interpreter CALL_ENDED',
        'PARTICIPANT_LEFT attorney CALL_ENDED',
        'CALL_ENDED ENDED_BY_ATTORNEY',
      ]);

      // Metadata only: every payload is a known, strict shape; no names, SDP or tokens.
      for (const event of events) {
        expect(SessionEventBodySchema.safeParse({ type: event.type, payload: event.payload }).success).toBe(
          true,
        );
        expect(event.organizationId).toBe(ids.organization);
      }
      const text = JSON.stringify(events);
      expect(text).not.toMatch(/María|Hernández|Okafor|Ramírez|v=0|a=candidate|eyJ/);
      const sidebarStarted = events.find((e) => e.type === 'SIDEBAR_STARTED');
      expect(sidebarStarted).toMatchObject({ actorUserId: ids.attorney, actorRole: 'ATTORNEY' });
      expect(new Set((sidebarStarted?.payload as { participantIds: string[] }).participantIds)).toEqual(
        new Set([ids.attorney, ids.interpreter]),
      );
      const clientJoined = events.find((e) => e.type === 'PARTICIPANT_JOINED');
      expect(clientJoined).toMatchObject({
        actorUserId: null,
        actorRole: 'CLIENT',
        payload: { device: 'KIOSK' },
      });

      expect(verifyChain(consultationA, events)).toMatchObject({ valid: true, events: events.length });

      const summary = summarizeConsultation(events);
      expect(summary).toMatchObject({
        complete: true,
        endReason: 'ENDED_BY_ATTORNEY',
        sidebars: 3,
        reconnections: 2,
        simultaneousSeconds: 0,
      });
      const duration = summary.durationSeconds ?? -1;
      expect(duration).toBeGreaterThan(0);
      const byRole = new Map<CallRole, (typeof summary.participants)[number]>(
        summary.participants.map((p) => [p.role, p]),
      );
      expect([...byRole.keys()].sort()).toEqual(['ATTORNEY', 'CLIENT', 'INTERPRETER']);
      for (const p of summary.participants) {
        expect(p.connectedSeconds).toBeGreaterThanOrEqual(0);
        expect(p.connectedSeconds).toBeLessThanOrEqual(duration);
      }
      expect(byRole.get('CLIENT')).toMatchObject({ drops: 1, reconnections: 0 });
      expect(byRole.get('INTERPRETER')).toMatchObject({ drops: 2, reconnections: 2 });
      expect(byRole.get('ATTORNEY')).toMatchObject({ drops: 0, reconnections: 0 });
      // The attorney was there from their join to the end, with no gap.
      const attorneyJoinedAt = events.find(
        (e) => e.type === 'PARTICIPANT_JOINED' && e.actorUserId === ids.attorney,
      )!.occurredAt;
      const endedAt = events.at(-1)!.occurredAt;
      expect(
        Math.abs(
          (byRole.get('ATTORNEY')?.connectedSeconds ?? 0) * 1000 -
            (endedAt.getTime() - attorneyJoinedAt.getTime()),
        ),
      ).toBeLessThanOrEqual(1000);
      expect(summary.interpreterSeconds).toBe(byRole.get('INTERPRETER')?.connectedSeconds);
      expect(summary.interpreterMinutes).toBeGreaterThan(0);
    });
  });

  describe('refusals on the server as startServer builds it', () => {
    it('answers malformed messages, bad tokens and messages before join with stable codes', async () => {
      const s = await connect(t.url, 'stranger');
      // Before join: nothing but join is accepted.
      expectRefused(
        await s.send('answer', { answer: { type: 'answer', sdp: 'v=0 not joined yet' } }),
        'NOT_IN_CONSULTATION',
      );
      expectRefused(await s.send('candidate', { candidate: null }), 'NOT_IN_CONSULTATION');
      expectRefused(await s.send('setSidebar', { active: true }), 'NOT_IN_CONSULTATION');
      expectRefused(await s.send('setMuted', { audio: true, video: true }), 'NOT_IN_CONSULTATION');
      expectRefused(await s.send('endCall', {}), 'NOT_IN_CONSULTATION');
      expectRefused(await s.send('leave', {}), 'NOT_IN_CONSULTATION');
      expectRefused(await s.send('restartMedia', {}), 'NOT_IN_CONSULTATION');

      // Malformed joins.
      expectRefused(await s.send('join', {}), 'VALIDATION_FAILED');
      expectRefused(await s.send('join'), 'VALIDATION_FAILED');
      expectRefused(await s.send('join', { token: 42 }), 'VALIDATION_FAILED');
      expectRefused(await s.send('join', { token: 'x'.repeat(5000) }), 'VALIDATION_FAILED');
      expectRefused(
        await s.send('join', { token: await userTicket('attorney', consultationC), role: 'ATTORNEY' }),
        'VALIDATION_FAILED',
      );
      expectRefused(await s.send('join', 'not an object'), 'VALIDATION_FAILED');

      // Bad tokens.
      expectRefused(await s.join('garbage-garbage-garbage-garbage'), 'TOKEN_INVALID');
      const claims = {
        consultationId: consultationC,
        organizationId: ids.organization,
        participantId: ids.attorney,
        role: 'ATTORNEY' as const,
        displayName: 'Grace Okafor',
      };
      expectRefused(
        await s.join(signCallToken(claims, 'not-the-server-secret-not-the-server-secret')),
        'TOKEN_INVALID',
      );
      const expired = jwt.sign(
        {
          typ: 'call',
          cid: consultationC,
          org: ids.organization,
          role: 'ATTORNEY',
          name: 'Grace Okafor',
          exp: Math.floor(Date.now() / 1000) - 60,
        },
        t.config.jwtSecret,
        { algorithm: 'HS256', issuer: 'parley', subject: ids.attorney, jwtid: randomUUID() },
      );
      expectRefused(await s.join(expired), 'TOKEN_EXPIRED');
      // A kiosk's device token is not a call token.
      expectRefused(await s.join(kioskToken), 'TOKEN_INVALID');
      // A token naming another organisation for this consultation finds nothing.
      expectRefused(
        await s.join(signCallToken({ ...claims, organizationId: ids.otherOrganization }, t.config.jwtSecret)),
        'NOT_FOUND',
      );
      // A cancelled consultation cannot be joined, even with a correctly signed token.
      expectRefused(
        await s.join(signCallToken({ ...claims, consultationId: consultationD }, t.config.jwtSecret)),
        'CALL_ENDED',
      );
      expect(s.joined).toBeUndefined();
      expect(t.server.signaling.liveCalls.has(consultationD)).toBe(false);
    });

    it('refuses a replayed ticket without disturbing its first holder, and still seats valid joins', async () => {
      const ticket = await userTicket('attorney', consultationC);
      const first = await connect(t.url, 'attorney on C');
      await first.joinWithMedia(ticket, ATTORNEY);
      const replay = await connect(t.url, 'replayer');
      expectRefused(await replay.join(ticket), 'TOKEN_INVALID');
      expect(first.socket.connected).toBe(true);

      const second = await connect(t.url, 'interpreter on C');
      await second.joinWithMedia(await userTicket('interpreter', consultationC), INTERPRETER);
      await first.waitForState(
        (s) => s.participants.length === 2 && s.participants.every((p) => p.status === 'connected'),
        'both connected on C',
      );
      peerOf(first).startSending();
      peerOf(second).startSending();
      await waitUntil(
        () => peerOf(first).from(INTERPRETER).length >= 10 && peerOf(second).from(ATTORNEY).length >= 10,
        'attorney and interpreter on C hear each other',
      );
      // The replayer never got a seat.
      expectRefused(await replay.send('setMuted', { audio: true, video: true }), 'NOT_IN_CONSULTATION');
      // Staff have no media connection to restart.
      const staff = await connect(t.url, 'staff on C');
      const staffJoin = await staff.join(await userTicket('staff', consultationC));
      expect(staffJoin.ok && staffJoin.data.media).toBeNull();
      expectRefused(await staff.send('restartMedia', {}), 'FORBIDDEN_ROLE');
      expect((await first.send('endCall', {})).ok).toBe(true);
      await waitUntil(() => second.ended.length > 0, 'the interpreter on C is told the call ended');
    });

    it('a join in flight when the attorney ends the call is refused or ended, never seated in a new call', async () => {
      const host = await connect(t.url, 'attorney on E');
      expect((await host.join(await userTicket('attorney', consultationE))).ok).toBe(true);
      const late = await connect(t.url, 'interpreter on E');
      const lateTicket = await userTicket('interpreter', consultationE);
      // Sent together: the join reads the consultation while the end is being processed.
      const [joined, ended] = await Promise.all([late.join(lateTicket), host.send('endCall', {})]);
      expect(ended.ok).toBe(true);
      if (joined.ok) {
        await waitUntil(() => late.ended.length > 0, 'the interpreter who got in is told the call ended');
      } else {
        expect(joined.error.code).toBe('CALL_ENDED');
      }
      expect(t.server.signaling.liveCalls.has(consultationE)).toBe(false);
      expectRefused(await late.send('setMuted', { audio: true, video: true }), 'NOT_IN_CONSULTATION');

      await t.server.sessionLog.flush();
      const types = (await new SessionLogRepository(t.database.prisma).chainOf(consultationE)).map(
        (e) => e.type,
      );
      expect(types.filter((type) => type === 'CALL_STARTED')).toHaveLength(1);
      expect(types.at(-1)).toBe('CALL_ENDED');
    });
  });
});
