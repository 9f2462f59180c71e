import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, JoinResult, MediaRestartResult } from '@parley/shared';
import { loadConfig } from '../config.ts';
import { demoKioskCredential } from '../db/demoData.ts';
import { createLogger } from '../logger.ts';
import { MediaError, type MediaEngine } from '../media/index.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { SessionLogRepository } from '../sessionLog/SessionLogRepository.ts';
import { verifyChain } from '../sessionLog/verifyChain.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { deferred } from '../testing/deferred.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { CallAccessRepository } from './CallAccessRepository.ts';
import { CallSignaling, MEDIA_RESTARTS_PER_MINUTE } from './callSignaling.ts';
import { SignalingTestClient } from './testing/SignalingTestClient.ts';
import { kioskCallTicket, userCallTicket } from './testing/tickets.ts';

/**
 * One person joining twice at once — two tabs, or a kiosk reconnecting while its previous
 * socket's join is still in flight — or joining while their earlier socket leaves or drops.
 *
 * A join awaits the database and the media engine's offer; these tests widen the offer await (the
 * real offer is made, then held) so that what used to interleave inside it does so every time.
 * Whatever the order, the end state must be coherent: one socket holds the seat, the engine holds
 * that socket's media and no other, nobody is dropped later by a stale grace timer, and the
 * session log tells one story.
 *
 * The semantics are those of a reload or a second tab: the later join takes the seat over and the
 * earlier socket is told it was replaced, then disconnected by the server.
 *
 * The same turn covers media restarts (a new media connection on the same socket after an ICE
 * failure), and no step holds it for longer than the step timeout: a join whose database read or
 * offer never comes back fails with TIMEOUT and the person's next step goes ahead.
 */

const GRACE_MS = 1_500;
/** Short, so that the tests of abandoned steps are quick; every real step here takes far less. */
const STEP_TIMEOUT_MS = 2_000;
const ATTORNEY = 0;
const ATTORNEY_AGAIN = 1;
const CLIENT = 2;
const INTERPRETER = 3;

let t: TestServer;
let signalingHttp: Server;
let signaling: CallSignaling;
let signalingUrl: string;
let userTokens: Record<'attorney' | 'interpreter', string>;
let kioskToken: string;
let ids: { attorney: string; interpreter: string };
let nextPin = 520_000;
const opened: SignalingTestClient[] = [];

/** Runs after the server has made each offer, before the join goes on; tests replace it. */
let offerHook: (participantId: string) => Promise<void> = () => Promise.resolve();
/** Runs before each join's database read of the consultation; tests replace it. */
let readHook: () => Promise<void> = () => Promise.resolve();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `target` with some members replaced; every other member is the target's own, bound to it. */
function overriding<O extends object>(target: O, overrides: Partial<O>): O {
  return new Proxy(target, {
    get(obj, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof O];
      const value: unknown = Reflect.get(obj, prop, obj);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

/** The test server's real engine, with `offerHook` run after every offer it makes. */
function withOfferHook(engine: MediaEngine): MediaEngine {
  return overriding(engine, {
    createRoom: <T>(id: string) => {
      const room = engine.createRoom<T>(id);
      return overriding(room, {
        addParticipant: (info, appData) => {
          const participant = room.addParticipant(info, appData);
          // The engine makes the participant's transport and its offer; then the hook.
          return overriding(participant, {
            negotiated: participant.negotiated.then(async (negotiation) => {
              await offerHook(participant.id);
              return negotiation;
            }),
          });
        },
      });
    },
  });
}

/** The repository, with `readHook` run before every read of a consultation. */
function withReadHook(calls: CallAccessRepository): CallAccessRepository {
  return overriding(calls, {
    findConsultation: async (...args: Parameters<CallAccessRepository['findConsultation']>) => {
      await readHook();
      return calls.findConsultation(...args);
    },
  });
}

/** Holds the next database read of a join until the test releases it. */
function holdNextRead() {
  const reached = deferred();
  const gate = deferred();
  let armed = true;
  readHook = async () => {
    if (!armed) return;
    armed = false;
    reached.resolve();
    await gate.promise;
  };
  return { reached: reached.promise, release: () => gate.resolve() };
}

/** Holds the next offer, once made, until the test releases it or makes it fail. */
function holdNextOffer() {
  const reached = deferred<string>();
  const gate = deferred();
  let armed = true;
  offerHook = async (participantId) => {
    if (!armed) return;
    armed = false;
    reached.resolve(participantId);
    await gate.promise;
  };
  return { reached: reached.promise, release: () => gate.resolve(), fail: (e: Error) => gate.reject(e) };
}

function userTicket(who: keyof typeof userTokens, consultationId: string): Promise<string> {
  return userCallTicket(t, userTokens[who], consultationId);
}

function kioskTicket(consultationId: string): Promise<string> {
  return kioskCallTicket(t, kioskToken, consultationId);
}

async function connect(name: string): Promise<SignalingTestClient> {
  const c = await SignalingTestClient.connect(signalingUrl, name);
  opened.push(c);
  return c;
}

function newConsultation(): Promise<string> {
  return insertDemoConsultation(t.database.prisma, { startsInMinutes: -1, kioskPin: String(nextPin++) });
}

function joined(ack: Ack<JoinResult>, who: string): JoinResult {
  if (!ack.ok) throw new Error(`${who}: join refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** Sockets on the server that hold a seat for `participantId`. */
function seatHolders(participantId: string): string[] {
  return [...signaling.io.of('/call').sockets.values()]
    .filter((s) => s.data.seat?.participantId === participantId)
    .map((s) => s.id);
}

/** How the call lists `participantId` (every entry: there must be one). */
function listed(consultationId: string, participantId: string): string[] {
  const call = signaling.liveCalls.get(consultationId);
  return (call?.state().participants ?? [])
    .filter((p) => p.participantId === participantId)
    .map((p) => p.status);
}

/** The engine's view: every participant in the room and their connection state. */
function inRoom(consultationId: string): Record<string, string> {
  const room = t.server.engine.getRoom(consultationId);
  return Object.fromEntries([...(room?.participants.values() ?? [])].map((p) => [p.id, p.connectionState]));
}

/** The session log's events about `participantId`, as 'TYPE reason'. */
async function loggedFor(consultationId: string, participantId: string): Promise<string[]> {
  await t.server.sessionLog.flush();
  const events = await new SessionLogRepository(t.database.prisma).chainOf(consultationId);
  expect(verifyChain(consultationId, events)).toMatchObject({ valid: true });
  return events
    .filter((e) => (e.payload as { participantId?: string }).participantId === participantId)
    .map((e) => [e.type, (e.payload as { reason?: string }).reason].filter(Boolean).join(' '));
}

/**
 * The coherent end state: `holder` alone holds the seat and its media is the engine's only
 * participant, connected; `others` were disconnected by the server or hold no seat; and it all
 * still stands after the grace period, so no stale timer drops the person later.
 */
async function expectOneSeat(
  consultationId: string,
  participantId: string,
  holder: SignalingTestClient,
  others: SignalingTestClient[],
): Promise<void> {
  await waitUntil(
    () => listed(consultationId, participantId).join() === 'connected',
    `${holder.name} is listed once, connected`,
  );
  for (let check = 0; check < 2; check++) {
    expect(seatHolders(participantId), 'who holds the seat').toEqual([holder.socket.id]);
    expect(listed(consultationId, participantId), 'how the call lists them').toEqual(['connected']);
    expect(inRoom(consultationId), "the engine's room").toEqual({ [participantId]: 'connected' });
    expect(holder.socket.connected).toBe(true);
    expect((await holder.send('setMuted', { audio: false, video: true })).ok).toBe(true);
    for (const other of others) {
      if (other.socket.connected) {
        const ack = await other.send('setMuted', { audio: true, video: true });
        expect(ack.ok ? 'seated' : ack.error.code, `${other.name} holds no seat`).toBe('NOT_IN_CONSULTATION');
      } else {
        expect(other.disconnectReason, `how ${other.name} was disconnected`).toMatch(
          /io server disconnect|io client disconnect/,
        );
      }
    }
    if (check === 0) await sleep(GRACE_MS + 500);
  }
  expect(signaling.busyPeople, 'people with a join, leave or disconnect in progress').toBe(0);
}

beforeAll(async () => {
  // Signalling over the werift engine: the headless peer answers SDP (the contract suite runs both engines).
  t = await startTestServer({
    media: { ...loadConfig().media, engine: 'werift', listenAddresses: ['127.0.0.1'] },
  });
  const db = t.database.prisma;
  const [attorneyUser, interpreterUser] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { email: 'attorney@parley.demo' } }),
    db.user.findUniqueOrThrow({ where: { email: 'interpreter@parley.demo' } }),
  ]);
  ids = { attorney: attorneyUser.id, interpreter: interpreterUser.id };
  const [a, i] = await Promise.all([t.login('attorney@parley.demo'), t.login('interpreter@parley.demo')]);
  userTokens = { attorney: a, interpreter: i };
  const kiosk = await t.request('POST', '/api/kiosk/session', {
    body: { credential: demoKioskCredential('ADAMS') },
  });
  kioskToken = kiosk.body.token as string;

  signalingHttp = createServer();
  signaling = new CallSignaling(signalingHttp, {
    config: t.config,
    logger: createLogger('silent'),
    engine: withOfferHook(t.server.engine),
    calls: withReadHook(new CallAccessRepository(db)),
    log: t.server.sessionLog,
    reconnectGraceMs: GRACE_MS,
    stepTimeoutMs: STEP_TIMEOUT_MS,
  });
  await new Promise<void>((resolve) => signalingHttp.listen(0, '127.0.0.1', resolve));
  signalingUrl = `http://127.0.0.1:${(signalingHttp.address() as AddressInfo).port}`;
});

afterEach(async () => {
  offerHook = () => Promise.resolve();
  readHook = () => Promise.resolve();
  await Promise.allSettled(opened.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await signaling?.close();
  await new Promise<void>((resolve) => {
    if (!signalingHttp) return resolve();
    signalingHttp.close(() => resolve());
    signalingHttp.closeAllConnections();
  });
  await t?.close();
});

describe('one person joining twice at once', () => {
  it('two tabs of the attorney join together: the first is seated, then replaced by the second; one seat, one media participant, one join logged', async () => {
    const consultationId = await newConsultation();
    const [tabA, tabB] = await Promise.all([connect('attorney tab A'), connect('attorney tab B')]);
    const [ticketA, ticketB] = await Promise.all([
      userTicket('attorney', consultationId),
      userTicket('attorney', consultationId),
    ]);
    // Every offer takes 300 ms, as on a loaded server: both joins are past the database by then.
    offerHook = () => sleep(300);
    const [ackA, ackB] = await Promise.all([tabA.join(ticketA), tabB.join(ticketB)]);
    offerHook = () => Promise.resolve();

    // Both joins succeed in turn; the second found the first seated and took over from it.
    joined(ackA, tabA.name);
    joined(ackB, tabB.name);
    await waitUntil(
      () => !tabA.socket.connected || !tabB.socket.connected,
      'the server closes the tab it replaced',
    );
    const [holder, replaced] = tabA.socket.connected ? [tabA, tabB] : [tabB, tabA];
    // Told why before it was closed, so it does not reconnect by itself.
    expect(replaced.lifecycle).toEqual(['replaced', 'disconnect: io server disconnect']);
    expect(holder.socket.connected).toBe(true);
    expect(holder.lifecycle).toEqual([]);

    await holder.connectMedia(joined(holder === tabA ? ackA : ackB, holder.name), ATTORNEY);
    await expectOneSeat(consultationId, ids.attorney, holder, [replaced]);
    // A tab replacing another is not a new join nor a drop: a reconnection by takeover.
    expect(await loggedFor(consultationId, ids.attorney)).toEqual([
      'PARTICIPANT_JOINED',
      'PARTICIPANT_RECONNECTED REPLACED',
    ]);
  });

  it("a kiosk that reconnects while its previous socket's join is in flight is seated once and stays seated", async () => {
    const consultationId = await newConsultation();
    const clientId = `client:${consultationId}`;
    const first = await connect('kiosk');
    const held = holdNextOffer();
    const firstJoin = first.join(await kioskTicket(consultationId)).catch((err: Error) => err);
    expect(await held.reached).toBe(clientId);

    // The kiosk's network drops mid-join and it comes straight back on a new socket.
    first.dropSocket();
    const second = await connect('kiosk (reconnected)');
    const secondJoin = second.join(await kioskTicket(consultationId));
    // Give the second join time to get as far as it can before the first one finishes.
    await sleep(300);
    held.release();
    const result = joined(await secondJoin, second.name);
    // The first socket is gone: its ack never arrives.
    expect(await firstJoin).toBeInstanceOf(Error);

    await second.connectMedia(result, CLIENT);
    await expectOneSeat(consultationId, clientId, second, [first]);
    // The first join seated the kiosk and found it gone: the second is its reconnection.
    expect(await loggedFor(consultationId, clientId)).toEqual([
      'PARTICIPANT_JOINED',
      'PARTICIPANT_RECONNECTED REJOINED',
    ]);
    // The first socket was gone, not replaced: nothing was sent to it.
    expect(first.lifecycle).toEqual(['disconnect: io client disconnect']);
  });

  it('one socket sending two joins at once is seated once; the second join is refused', async () => {
    const consultationId = await newConsultation();
    const tab = await connect('attorney');
    const [ticketA, ticketB] = await Promise.all([
      userTicket('attorney', consultationId),
      userTicket('attorney', consultationId),
    ]);
    const acks = await Promise.all([tab.send<JoinResult>('join', { token: ticketA }), tab.join(ticketB)]);
    expect(acks.map((ack) => (ack.ok ? 'seated' : ack.error.code))).toEqual(['seated', 'CONFLICT']);

    await tab.connectMedia(joined(acks[0], tab.name), ATTORNEY);
    await expectOneSeat(consultationId, ids.attorney, tab, []);
    expect(await loggedFor(consultationId, ids.attorney)).toEqual(['PARTICIPANT_JOINED']);
  });

  it('a join whose offer fails releases the person: the join queued behind it is seated', async () => {
    const consultationId = await newConsultation();
    const [tabA, tabB] = await Promise.all([connect('interpreter tab A'), connect('interpreter tab B')]);
    const [ticketA, ticketB] = await Promise.all([
      userTicket('interpreter', consultationId),
      userTicket('interpreter', consultationId),
    ]);
    const held = holdNextOffer();
    const joinA = tabA.join(ticketA);
    expect(await held.reached).toBe(ids.interpreter);
    const joinB = tabB.join(ticketB);
    await sleep(300);
    held.fail(new MediaError('BAD_SESSION_DESCRIPTION', 'The offer failed (test)'));

    const ackA = await joinA;
    expect(ackA.ok ? 'seated' : ackA.error.code).toBe('MEDIA_FAILED');
    await tabB.connectMedia(joined(await joinB, tabB.name), INTERPRETER);
    await expectOneSeat(consultationId, ids.interpreter, tabB, [tabA]);
    expect(await loggedFor(consultationId, ids.interpreter)).toEqual([
      'PARTICIPANT_JOINED',
      'PARTICIPANT_RECONNECTED REJOINED',
    ]);
  });

  it('a takeover whose join fails does not tell the old tab it was replaced: it is closed, rejoins and is seated again', async () => {
    const consultationId = await newConsultation();
    const tabA = await seatedWithMedia(consultationId, 'attorney', ATTORNEY);
    const tabB = await connect('attorney tab B');
    const held = holdNextOffer();
    const joinB = tabB.join(await userTicket('attorney', consultationId));
    expect(await held.reached).toBe(ids.attorney);
    held.fail(new MediaError('BAD_SESSION_DESCRIPTION', 'The offer failed (test)'));
    const ackB = await joinB;
    expect(ackB.ok ? 'seated' : ackB.error.code).toBe('MEDIA_FAILED');
    await waitUntil(() => tabA.lifecycle.length > 0, 'tab A is closed');
    // Closed, not replaced: a page told nothing reconnects and joins again by itself (as the client does).
    expect(tabA.lifecycle).toEqual(['disconnect: io server disconnect']);
    const tabAAgain = await connect('attorney tab A, reconnected');
    await tabAAgain.connectMedia(
      joined(await tabAAgain.join(await userTicket('attorney', consultationId)), tabAAgain.name),
      ATTORNEY_AGAIN,
    );
    await expectOneSeat(consultationId, ids.attorney, tabAAgain, [tabA, tabB]);
  });

  it('a join whose offer fails alone leaves no ghost: the place is kept for the grace period, then given up', async () => {
    const consultationId = await newConsultation();
    const tab = await connect('interpreter');
    const held = holdNextOffer();
    const join = tab.join(await userTicket('interpreter', consultationId));
    await held.reached;
    held.fail(new MediaError('BAD_SESSION_DESCRIPTION', 'The offer failed (test)'));
    const ack = await join;
    expect(ack.ok ? 'seated' : ack.error.code).toBe('MEDIA_FAILED');

    expect(seatHolders(ids.interpreter)).toEqual([]);
    expect(inRoom(consultationId)).toEqual({});
    expect(listed(consultationId, ids.interpreter)).toEqual(['reconnecting']);
    await waitUntil(
      () => listed(consultationId, ids.interpreter).join() === 'left',
      'the interpreter has left after the grace period',
      GRACE_MS + 5_000,
    );
    expect(await loggedFor(consultationId, ids.interpreter)).toEqual([
      'PARTICIPANT_JOINED',
      'PARTICIPANT_LEFT CONNECTION_LOST',
    ]);
    expect(signaling.busyPeople).toBe(0);
  });
});

describe("a join racing the end of the same person's earlier connection", () => {
  async function seatedAttorney(consultationId: string): Promise<SignalingTestClient> {
    const tab = await connect('attorney tab A');
    await tab.joinWithMedia(await userTicket('attorney', consultationId), ATTORNEY);
    await waitUntil(
      () => listed(consultationId, ids.attorney).join() === 'connected',
      'the attorney connected',
    );
    return tab;
  }

  it('the earlier tab leaves as the new one joins: either order ends with the new tab alone in the seat', async () => {
    const consultationId = await newConsultation();
    const tabA = await seatedAttorney(consultationId);
    const tabB = await connect('attorney tab B');
    const ticket = await userTicket('attorney', consultationId);
    offerHook = () => sleep(300);
    // The leave's ack may never come: the join, if first, disconnects tab A.
    const [left, ack] = await Promise.all([
      tabA.send('leave', {}).catch((err: Error) => err),
      tabB.join(ticket),
    ]);
    offerHook = () => Promise.resolve();

    await tabB.connectMedia(joined(ack, tabB.name), ATTORNEY_AGAIN);
    await expectOneSeat(consultationId, ids.attorney, tabB, [tabA]);
    const logged = await loggedFor(consultationId, ids.attorney);
    if (!(left instanceof Error) && left.ok) {
      // The leave came first: the attorney left, then joined anew.
      expect(logged).toEqual(['PARTICIPANT_JOINED', 'PARTICIPANT_LEFT LEFT', 'PARTICIPANT_JOINED']);
    } else {
      // The join came first and replaced tab A, whose leave then found no seat.
      expect(tabA.lifecycle).toEqual(['replaced', 'disconnect: io server disconnect']);
      expect(logged).toEqual(['PARTICIPANT_JOINED', 'PARTICIPANT_RECONNECTED REPLACED']);
    }
  });

  it("the earlier tab's network drops as the new one joins: the new tab keeps the seat past the grace period", async () => {
    const consultationId = await newConsultation();
    const tabA = await seatedAttorney(consultationId);
    const tabB = await connect('attorney tab B');
    const ticket = await userTicket('attorney', consultationId);
    offerHook = () => sleep(300);
    const joining = tabB.join(ticket);
    tabA.dropSocket();
    const ack = await joining;
    offerHook = () => Promise.resolve();

    await tabB.connectMedia(joined(ack, tabB.name), ATTORNEY_AGAIN);
    await expectOneSeat(consultationId, ids.attorney, tabB, [tabA]);
    const logged = await loggedFor(consultationId, ids.attorney);
    // Dropped first: a reconnection. Replaced first: a takeover, and the drop came from a socket
    // no longer seated.
    expect([
      ['PARTICIPANT_JOINED', 'PARTICIPANT_RECONNECTED REJOINED'],
      ['PARTICIPANT_JOINED', 'PARTICIPANT_RECONNECTED REPLACED'],
    ]).toContainEqual(logged);
  });
});

/** A tab of `who` joined with media and connected. */
async function seatedWithMedia(
  consultationId: string,
  who: 'attorney' | 'interpreter',
  peerIndex: number,
): Promise<SignalingTestClient> {
  const tab = await connect(`${who} tab A`);
  await tab.joinWithMedia(await userTicket(who, consultationId), peerIndex);
  await waitUntil(() => listed(consultationId, ids[who]).join() === 'connected', `the ${who} connected`);
  return tab;
}

function refusal<T>(ack: Ack<T>): string {
  return ack.ok ? 'ok' : ack.error.code;
}

describe('a media restart takes its turn with the same person’s joins', () => {
  it('a restart in flight when another tab joins: the restart finishes, then the new tab takes the seat; one seat, one media participant', async () => {
    const consultationId = await newConsultation();
    const tabA = await seatedWithMedia(consultationId, 'attorney', ATTORNEY);
    const tabB = await connect('attorney tab B');
    const ticket = await userTicket('attorney', consultationId);
    await tabA.failMedia();
    const held = holdNextOffer();
    const restart = tabA.requestMediaRestart();
    expect(await held.reached).toBe(ids.attorney);
    const join = tabB.join(ticket);
    await sleep(300);
    // The join waits for the restart: tab A still holds the seat.
    expect(seatHolders(ids.attorney)).toEqual([tabA.socket.id]);
    held.release();

    expect(refusal(await restart)).toBe('ok');
    await tabB.connectMedia(joined(await join, tabB.name), ATTORNEY_AGAIN);
    await expectOneSeat(consultationId, ids.attorney, tabB, [tabA]);
    expect(tabA.lifecycle).toEqual(['replaced', 'disconnect: io server disconnect']);
    expect(await loggedFor(consultationId, ids.attorney)).toEqual([
      'PARTICIPANT_JOINED',
      'PARTICIPANT_RECONNECTED MEDIA_RESTARTED',
      'PARTICIPANT_RECONNECTED REPLACED',
    ]);
  });

  it(`a person gets at most ${MEDIA_RESTARTS_PER_MINUTE} media restarts a minute; more are refused and change nothing`, async () => {
    const consultationId = await newConsultation();
    const tab = await seatedWithMedia(consultationId, 'attorney', ATTORNEY);
    const answers: string[] = [];
    for (let i = 0; i <= MEDIA_RESTARTS_PER_MINUTE; i++)
      answers.push(refusal(await tab.requestMediaRestart()));
    expect(answers).toEqual([...Array<string>(MEDIA_RESTARTS_PER_MINUTE).fill('ok'), 'RATE_LIMITED']);
    expect(seatHolders(ids.attorney)).toEqual([tab.socket.id]);
    const logged = await loggedFor(consultationId, ids.attorney);
    expect(logged.filter((e) => e === 'PARTICIPANT_RECONNECTED MEDIA_RESTARTED')).toHaveLength(
      MEDIA_RESTARTS_PER_MINUTE,
    );
  });

  it('a restart sent by a tab that was replaced meanwhile is refused and touches nothing', async () => {
    const consultationId = await newConsultation();
    const tabA = await seatedWithMedia(consultationId, 'interpreter', INTERPRETER);
    const tabB = await connect('interpreter tab B');
    const ticket = await userTicket('interpreter', consultationId);
    offerHook = () => sleep(300);
    // The join takes the seat from tab A before its offer is made (held here for 300 ms); a
    // restart tab A sends in that time finds no seat and is refused. Tab A is told it was
    // replaced only once the join has succeeded.
    const restartAcks: Ack<MediaRestartResult>[] = [];
    const joining = tabB.join(ticket);
    await waitUntil(() => !seatHolders(ids.interpreter).includes(tabA.socket.id!), 'tab A has lost the seat');
    tabA.socket.emit('restartMedia', {}, (restartAck) => restartAcks.push(restartAck));
    await waitUntil(() => restartAcks.length > 0, 'the restart is answered');
    const ack = await joining;
    offerHook = () => Promise.resolve();
    await tabB.connectMedia(joined(ack, tabB.name), INTERPRETER);
    await expectOneSeat(consultationId, ids.interpreter, tabB, [tabA]);
    expect(restartAcks.map((a) => refusal(a))).toEqual(['NOT_IN_CONSULTATION']);
    expect(tabA.lifecycle).toEqual(['replaced', 'disconnect: io server disconnect']);
    expect(await loggedFor(consultationId, ids.interpreter)).toEqual([
      'PARTICIPANT_JOINED',
      'PARTICIPANT_RECONNECTED REPLACED',
    ]);
  });
});

describe('a step that hangs is abandoned after the step timeout', () => {
  it('a join whose offer never comes fails with TIMEOUT, leaves no media behind, and the join queued behind it is seated', async () => {
    const consultationId = await newConsultation();
    const [tabA, tabB] = await Promise.all([connect('attorney tab A'), connect('attorney tab B')]);
    const [ticketA, ticketB] = await Promise.all([
      userTicket('attorney', consultationId),
      userTicket('attorney', consultationId),
    ]);
    const held = holdNextOffer();
    const startedAt = Date.now();
    const joinA = tabA.join(ticketA);
    await held.reached;
    const joinB = tabB.join(ticketB);

    const ackA = await joinA;
    expect(refusal(ackA)).toBe('TIMEOUT');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(STEP_TIMEOUT_MS - 50);
    // Tab A is still connected and may try again; it holds no seat.
    expect(tabA.socket.connected).toBe(true);
    expect(refusal(await tabA.send('setMuted', { audio: true, video: true }))).toBe('NOT_IN_CONSULTATION');

    await tabB.connectMedia(joined(await joinB, tabB.name), ATTORNEY);
    // The abandoned join's offer comes back at last: it changes nothing.
    held.release();
    await sleep(300);
    await expectOneSeat(consultationId, ids.attorney, tabB, [tabA]);
    // Tab A's join was abandoned as a failed one: the place was kept, and tab B came back to it.
    expect(await loggedFor(consultationId, ids.attorney)).toEqual([
      'PARTICIPANT_JOINED',
      'PARTICIPANT_RECONNECTED REJOINED',
    ]);
  });

  it('a join whose database read never comes fails with TIMEOUT and holds nobody up; it changes nothing when the read returns', async () => {
    const consultationId = await newConsultation();
    const [tabA, tabB] = await Promise.all([connect('interpreter tab A'), connect('interpreter tab B')]);
    const [ticketA, ticketB] = await Promise.all([
      userTicket('interpreter', consultationId),
      userTicket('interpreter', consultationId),
    ]);
    const held = holdNextRead();
    const joinA = tabA.join(ticketA);
    await held.reached;
    const joinB = tabB.join(ticketB);
    expect(refusal(await joinA)).toBe('TIMEOUT');
    await tabB.connectMedia(joined(await joinB, tabB.name), INTERPRETER);
    held.release();
    await sleep(300);
    await expectOneSeat(consultationId, ids.interpreter, tabB, [tabA]);
    expect(tabB.lifecycle).toEqual([]);
    expect(await loggedFor(consultationId, ids.interpreter)).toEqual(['PARTICIPANT_JOINED']);
  });

  it('a media restart whose offer never comes fails with TIMEOUT; the leave queued behind it then runs', async () => {
    const consultationId = await newConsultation();
    const tab = await seatedWithMedia(consultationId, 'attorney', ATTORNEY);
    await tab.failMedia();
    const held = holdNextOffer();
    const restart = tab.requestMediaRestart();
    await held.reached;
    const leave = tab.send('leave', {});
    expect(refusal(await restart)).toBe('TIMEOUT');
    // The abandoned restart's media is gone at once, before the leave's turn.
    expect(refusal(await leave)).toBe('ok');
    expect(listed(consultationId, ids.attorney)).toEqual(['left']);
    expect(inRoom(consultationId)).toEqual({});
    held.release();
    await sleep(300);
    expect(inRoom(consultationId)).toEqual({});
    expect(listed(consultationId, ids.attorney)).toEqual(['left']);
    expect(signaling.busyPeople).toBe(0);
    expect(await loggedFor(consultationId, ids.attorney)).toEqual([
      'PARTICIPANT_JOINED',
      'PARTICIPANT_LEFT LEFT',
    ]);
  });

  it('a media restart that timed out can be asked for again; a disconnect queued behind a hung one starts the grace period', async () => {
    const consultationId = await newConsultation();
    const tab = await seatedWithMedia(consultationId, 'interpreter', INTERPRETER);
    await tab.failMedia();
    let held = holdNextOffer();
    const first = tab.requestMediaRestart();
    await held.reached;
    expect(refusal(await first)).toBe('TIMEOUT');
    // Still seated, without media: the second request succeeds.
    expect(listed(consultationId, ids.interpreter)).toEqual(['reconnecting']);
    expect(inRoom(consultationId)).toEqual({});
    held.release();
    await tab.restartMedia(INTERPRETER + 10);
    await expectOneSeat(consultationId, ids.interpreter, tab, []);

    // Now a restart hangs and the socket drops behind it.
    await tab.failMedia();
    held = holdNextOffer();
    // Its answer never comes: the socket is gone by then.
    tab.socket.emit('restartMedia', {}, () => undefined);
    await held.reached;
    tab.dropSocket();
    await waitUntil(
      () => listed(consultationId, ids.interpreter).join() === 'left',
      'the interpreter has left after the step timeout and the grace period',
      STEP_TIMEOUT_MS + GRACE_MS + 5_000,
    );
    held.release();
    expect(inRoom(consultationId)).toEqual({});
    expect(signaling.busyPeople).toBe(0);
    expect(await loggedFor(consultationId, ids.interpreter)).toEqual([
      'PARTICIPANT_JOINED',
      'PARTICIPANT_RECONNECTED MEDIA_RESTARTED',
      'PARTICIPANT_LEFT CONNECTION_LOST',
    ]);
  });
});
