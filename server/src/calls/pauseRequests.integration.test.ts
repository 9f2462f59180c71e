import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAUSE_REQUEST_TTL_MS, type PauseRequestView } from '@parley/shared';
import { startTestCluster, type ClusterTestNode, type TestCluster } from '../cluster/testing/clusterNodes.ts';
import { loadConfig } from '../config.ts';
import { demoKioskCredential } from '../db/demoData.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { SignalingTestClient } from './testing/SignalingTestClient.ts';
import { kioskCallTicket, userCallTicket } from './testing/tickets.ts';

/**
 * "Please pause" (issue 17) is part of what a participant gets when they (re)join: a speaker whose
 * page reloads or whose connection comes back during an open request finds it in the join's state
 * and can acknowledge it; nobody it was not asked of ever sees it; and with several nodes it is in
 * the call's shared state, so it survives the call moving to another node. Real server, real
 * sockets, the werift engine.
 */

const WERIFT = {
  ...loadConfig().media,
  engine: 'werift' as const,
  workers: 1,
  listenAddresses: ['127.0.0.1'],
};

const pausesOf = (state: { interpretation?: { pauseRequests?: PauseRequestView[] } } | undefined) =>
  state?.interpretation?.pauseRequests ?? [];

function expectRefused(ack: { ok: boolean; error?: { code: string } }, code: string): void {
  expect(ack.ok).toBe(false);
  expect(ack.error?.code).toBe(code);
}

describe('please pause, rejoining on one node', () => {
  let t: TestServer;
  let consultationId: string;
  let kioskToken: string;
  const tokens = { attorney: '', lucia: '', ixchel: '' };
  const ids = { attorney: '', lucia: '', ixchel: '' };
  const opened: SignalingTestClient[] = [];
  const clientId = () => `client:${consultationId}`;

  async function connect(name: string): Promise<SignalingTestClient> {
    const c = await SignalingTestClient.connect(t.url, name);
    opened.push(c);
    return c;
  }

  /** A fresh socket and ticket, as the page gets after a reload or a lost connection. */
  async function rejoin(name: string, ticket: () => Promise<string>) {
    const again = await connect(`${name} again`);
    const ack = await again.join(await ticket());
    if (!ack.ok) throw new Error(`${name}: rejoin refused: ${ack.error.code}`);
    return { again, joined: ack.data };
  }

  beforeAll(async () => {
    t = await startTestServer({ media: WERIFT });
    const db = t.database.prisma;
    consultationId = await insertDemoConsultation(db, { startsInMinutes: -1, kioskPin: '610001' });
    const [attorney, lucia, ixchel] = await Promise.all(
      ['attorney@parley.demo', 'interpreter@parley.demo', 'mayan@parley.demo'].map((email) =>
        db.user.findUniqueOrThrow({ where: { email } }),
      ),
    );
    Object.assign(ids, { attorney: attorney!.id, lucia: lucia!.id, ixchel: ixchel!.id });
    // A second interpreter in the call (Lucía's booth partner), who asked nothing.
    const consultation = await db.consultation.findUniqueOrThrow({ where: { id: consultationId } });
    await db.consultationInterpreter.create({
      data: {
        organizationId: consultation.organizationId,
        consultationId,
        interpreterId: ids.ixchel,
        languageA: 'en',
        languageB: 'es',
      },
    });
    tokens.attorney = await t.login('attorney@parley.demo');
    tokens.lucia = await t.login('interpreter@parley.demo');
    tokens.ixchel = await t.login('mayan@parley.demo');
    const kiosk = await t.request('POST', '/api/kiosk/session', {
      body: { credential: demoKioskCredential('ADAMS') },
    });
    kioskToken = kiosk.body.token as string;
  });

  afterAll(async () => {
    await Promise.allSettled(opened.map((c) => c.close()));
    await t?.close();
  });

  it('a client back after a lost connection finds the open request in the join, acknowledges it, and nobody else ever saw it', async () => {
    const kioskTicket = () => kioskCallTicket(t, kioskToken, consultationId);
    // The attorney with media (connected: the client is out of the lobby and may be asked).
    const attorney = await connect('attorney');
    await attorney.joinWithMedia(await userCallTicket(t, tokens.attorney, consultationId), 0);
    const lucia = await connect('lucia');
    expect((await lucia.join(await userCallTicket(t, tokens.lucia, consultationId))).ok).toBe(true);
    const ixchel = await connect('ixchel');
    expect((await ixchel.join(await userCallTicket(t, tokens.ixchel, consultationId))).ok).toBe(true);
    const client = await connect('client');
    expect((await client.join(await kioskTicket())).ok).toBe(true);
    await attorney.waitForState(
      (s) => s.participants.length === 4 && !s.lobby,
      'all four seated, the attorney connected',
    );
    const told: Record<string, unknown[]> = {};
    const everyone = { attorney, lucia, ixchel, client };
    for (const [name, c] of Object.entries(everyone)) {
      told[name] = [];
      c.socket.on('pleasePause', (m) => told[name]!.push(m));
    }

    expect(await lucia.send('pleasePause', { speakerId: clientId() })).toEqual({ ok: true, data: null });
    const asked = pausesOf(await client.waitForState((s) => pausesOf(s).length === 1, 'the request'))[0]!;
    expect(asked).toMatchObject({
      fromParticipantId: ids.lucia,
      toParticipantId: clientId(),
      acknowledgedAt: null,
    });
    await lucia.waitForState((s) => pausesOf(s)[0]?.requestId === asked.requestId, 'her own request');
    await waitUntil(() => told.client!.length === 1, 'the client is told');

    // The connection drops; the kiosk comes back with a new socket and ticket within the grace.
    client.dropSocket();
    await attorney.waitForState(
      (s) => s.participants.find((p) => p.participantId === clientId())?.status === 'reconnecting',
      'the client reconnecting',
    );
    const back = await rejoin('client', kioskTicket);
    expect(pausesOf(back.joined.state)).toEqual([asked]);

    // Neither the attorney nor the other interpreter, before or after a reload of their own.
    const attorneyBack = await rejoin('attorney', () => userCallTicket(t, tokens.attorney, consultationId));
    expect(pausesOf(attorneyBack.joined.state)).toEqual([]);
    const ixchelBack = await rejoin('ixchel', () => userCallTicket(t, tokens.ixchel, consultationId));
    expect(pausesOf(ixchelBack.joined.state)).toEqual([]);
    expectRefused(
      await attorneyBack.again.send('acknowledgePause', { requestId: asked.requestId }),
      'CONFLICT',
    );

    // One tap on the page that came back.
    expect(await back.again.send('acknowledgePause', { requestId: asked.requestId })).toEqual({
      ok: true,
      data: null,
    });
    const answered = pausesOf(
      await lucia.waitForState((s) => pausesOf(s)[0]?.acknowledgedAt != null, 'the acknowledgement'),
    );
    expect(answered).toEqual([{ ...asked, acknowledgedAt: expect.any(String) }]);
    await back.again.waitForState((s) => pausesOf(s).length === 0, 'the request gone from the kiosk');
    // A reload after the acknowledgement shows nothing to acknowledge again.
    const clientAgain = await rejoin('client (second time)', kioskTicket);
    expect(pausesOf(clientAgain.joined.state)).toEqual([]);

    for (const c of [attorney, ixchel, attorneyBack.again, ixchelBack.again])
      expect(c.states.flatMap(pausesOf)).toEqual([]);
    expect(told.attorney).toEqual([]);
    expect(told.ixchel).toEqual([]);
    expect(told.lucia).toEqual([]);
    expect((await attorneyBack.again.send('endCall', {})).ok).toBe(true);
  });
});

describe('please pause, when the call moves to another node', () => {
  let pair: TestCluster;
  beforeAll(async () => {
    pair = await startTestCluster(['pause-1', 'pause-2'], { media: WERIFT });
  }, 120_000);
  const opened: SignalingTestClient[] = [];
  afterAll(async () => {
    await Promise.allSettled(opened.map((c) => c.close()));
    await pair?.close();
  });

  async function connect(node: ClusterTestNode, name: string): Promise<SignalingTestClient> {
    const c = await SignalingTestClient.connect(node.url, name);
    opened.push(c);
    return c;
  }

  const ticket = async (node: ClusterTestNode, email: string, consultationId: string) =>
    userCallTicket(node, await node.login(email), consultationId);

  it('the attorney back on the live node finds the request open, acknowledges it there, and it lapses there', async () => {
    const [owner, entry] = pair.nodes as [ClusterTestNode, ClusterTestNode];
    const consultationId = await insertDemoConsultation(pair.database.prisma, {
      startsInMinutes: -1,
      kioskPin: '610002',
    });
    // Both through the second node; the call is placed on the first (tie by name).
    const attorney = await connect(entry, 'attorney');
    const attorneyJoin = await attorney.join(await ticket(entry, 'attorney@parley.demo', consultationId));
    expect(attorneyJoin.ok).toBe(true);
    const attorneyId = attorneyJoin.ok ? attorneyJoin.data.participantId : '';
    const interpreter = await connect(entry, 'interpreter');
    expect((await interpreter.join(await ticket(entry, 'interpreter@parley.demo', consultationId))).ok).toBe(
      true,
    );
    expect(owner.server.signaling.liveCalls.has(consultationId)).toBe(true);

    expect(await interpreter.send('pleasePause', { speakerId: attorneyId })).toEqual({
      ok: true,
      data: null,
    });
    const asked = pausesOf(await attorney.waitForState((s) => pausesOf(s).length === 1, 'the request'))[0]!;
    const askedAt = Date.parse(asked.requestedAt);
    // In the call's shared state before the node goes.
    const shared = entry.server.cluster!.shared;
    for (let tries = 0; ; tries++) {
      const saved = await shared.callStates.load(consultationId);
      if ((saved?.pauses ?? []).some((r) => r.requestId === asked.requestId)) break;
      if (tries > 200) throw new Error('the request never reached the shared call state');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    await owner.server.close();
    await waitUntil(() => attorney.disconnectReason !== undefined, "the attorney's socket is closed");
    await waitUntil(() => interpreter.disconnectReason !== undefined, "the interpreter's socket is closed");

    const attorneyBack = await connect(entry, 'attorney again');
    const back = await attorneyBack.join(await ticket(entry, 'attorney@parley.demo', consultationId));
    if (!back.ok) throw new Error(`rejoin refused: ${back.error.code}`);
    expect(entry.server.signaling.liveCalls.has(consultationId)).toBe(true);
    expect(pausesOf(back.data.state)).toEqual([asked]);
    expect(await attorneyBack.send('acknowledgePause', { requestId: asked.requestId })).toEqual({
      ok: true,
      data: null,
    });
    await attorneyBack.waitForState((s) => pausesOf(s).length === 0, 'the request gone');
    const interpreterBack = await connect(entry, 'interpreter again');
    const seen = await interpreterBack.join(await ticket(entry, 'interpreter@parley.demo', consultationId));
    if (!seen.ok) throw new Error(`rejoin refused: ${seen.error.code}`);
    expect(pausesOf(seen.data.state)).toEqual([{ ...asked, acknowledgedAt: expect.any(String) }]);

    // It lapses on the new node when it would have on the old one (the state push is the lapse).
    await waitUntil(
      () => pausesOf(interpreterBack.state).length === 0,
      'the request lapsed',
      PAUSE_REQUEST_TTL_MS + 10_000,
    );
    expect(Date.now() - askedAt).toBeGreaterThanOrEqual(PAUSE_REQUEST_TTL_MS);
    expect((await attorneyBack.send('endCall', {})).ok).toBe(true);
  }, 90_000);
});
