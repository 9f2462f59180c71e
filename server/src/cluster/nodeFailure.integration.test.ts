import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalingTestClient } from '../calls/testing/SignalingTestClient.ts';
import { kioskCallTicket, userCallTicket } from '../calls/testing/tickets.ts';
import { demoKioskCredential } from '../db/demoData.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { SessionLogRepository } from '../sessionLog/SessionLogRepository.ts';
import { testDatabaseUrl } from '../testing/testDatabase.ts';
import {
  startTestCluster,
  TEST_JWT_SECRET,
  TEST_REDIS_URL,
  type ClusterTestNode,
  type TestCluster,
} from './testing/clusterNodes.ts';

/**
 * kill -9 of the node holding a call, mid-call: the node runs in a process of its own (nodeProcess.ts)
 * over the same PostgreSQL and Redis as a node in this process, which the participants' sockets
 * enter through. Needs PostgreSQL (TEST_DATABASE_URL): PGlite cannot be shared between processes.
 */

const ATTORNEY = 0;
const INTERPRETER = 1;
const CLIENT = 2;
const ATTORNEY_AGAIN = 3;
const INTERPRETER_AGAIN = 4;
const CLIENT_AGAIN = 5;

const NODE_PROCESS = fileURLToPath(new URL('./testing/nodeProcess.ts', import.meta.url));

describe.skipIf(!testDatabaseUrl())('a node killed mid-call', () => {
  let cluster: TestCluster;
  let entry: ClusterTestNode;
  let child: ChildProcess | undefined;
  /** The killed node's session log journal (every event goes through it with REDIS_URL set). */
  const journalPath = join(tmpdir(), `parley-kill-node-journal-${randomUUID()}.ndjson`);
  const opened: SignalingTestClient[] = [];
  const ids = { attorney: '', interpreter: '' };

  beforeAll(async () => {
    cluster = await startTestCluster(['kill-2']);
    entry = cluster.nodes[0]!;
    child = await startKillNode();
    const people = await cluster.database.prisma.user.findMany({
      where: { email: { in: ['attorney@parley.demo', 'interpreter@parley.demo'] } },
      select: { id: true, email: true },
    });
    ids.attorney = people.find((p) => p.email === 'attorney@parley.demo')!.id;
    ids.interpreter = people.find((p) => p.email === 'interpreter@parley.demo')!.id;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(journalPath, { force: true });
    await cluster?.close();
  });

  /** The node the call is placed on, in a process of its own, on its session log journal. */
  async function startKillNode(): Promise<ChildProcess> {
    const node = spawn(process.execPath, ['--import', 'tsx', NODE_PROCESS], {
      env: {
        ...process.env,
        DATABASE_URL: cluster.database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: cluster.keyPrefix,
        NODE_ID: 'kill-1',
        SESSION_LOG_JOURNAL: journalPath,
        JWT_SECRET: TEST_JWT_SECRET,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: node.stdout });
      lines.once('line', () => resolve());
      node.once('exit', (code) => reject(new Error(`the node process exited (${code})`)));
    });
    return node;
  }

  async function connect(name: string): Promise<SignalingTestClient> {
    const client = await SignalingTestClient.connect(entry.url, name);
    opened.push(client);
    return client;
  }

  async function ticket(email: string, consultationId: string): Promise<string> {
    return userCallTicket(entry, await entry.login(email), consultationId);
  }

  /** Packets `listener` got from `speaker` stamped after `cut` (how many `speaker` had sent then). */
  function receivedAfter(
    listener: SignalingTestClient,
    speaker: SignalingTestClient,
    cut: Map<SignalingTestClient, number>,
  ): number {
    return listener.peer!.from(speaker.peer!.index).filter((r) => r.seq > (cut.get(speaker) ?? 0)).length;
  }

  function cutNow(...clients: SignalingTestClient[]): Map<SignalingTestClient, number> {
    return new Map(clients.map((c) => [c, c.peer!.sent]));
  }

  it('the call comes back on the live node with its mode, its sidebar and who hears whom', async () => {
    const registry = entry.server.cluster!.registry;
    const shared = entry.server.cluster!.shared;
    const live = await registry.liveNodes();
    expect(live.map((n) => n.nodeId).sort()).toEqual(['kill-1', 'kill-2']);
    const consultationId = await insertDemoConsultation(cluster.database.prisma, {
      startsInMinutes: -1,
      kioskPin: '600001',
    });
    const kiosk = await entry.request('POST', '/api/kiosk/session', {
      body: { credential: demoKioskCredential('ADAMS') },
    });
    expect(kiosk.status).toBe(200);
    const kioskTicket = () => kioskCallTicket(entry, kiosk.body.token as string, consultationId);

    // All three enter through this process's node; neither node holds a call, so the tie goes to kill-1.
    const attorney = await connect('attorney');
    await attorney.joinWithMedia(await ticket('attorney@parley.demo', consultationId), ATTORNEY);
    const interpreter = await connect('interpreter');
    await interpreter.joinWithMedia(await ticket('interpreter@parley.demo', consultationId), INTERPRETER);
    const client = await connect('client');
    await client.joinWithMedia(await kioskTicket(), CLIENT);
    expect(await registry.ownerOf(consultationId)).toBe('kill-1');
    expect(entry.server.signaling.liveCalls.has(consultationId)).toBe(false);
    const first = [attorney, interpreter, client];
    for (const c of first) c.peer!.startSending();
    await waitUntil(
      () => first.every((l) => first.every((s) => s === l || l.peer!.from(s.peer!.index).length >= 10)),
      'everyone hears everyone through the other process',
    );

    // Not the defaults: the attorney's sidebar with the interpreter, and then simultaneous
    // interpretation into Spanish, the last change before the kill (its ROUTING_CHANGED may be in
    // the node's session log journal only when it dies).
    expect(await attorney.send('setSidebar', { active: true })).toEqual({ ok: true, data: null });
    const cut = cutNow(...first);
    await waitUntil(
      () => receivedAfter(attorney, interpreter, cut) >= 10 && receivedAfter(attorney, client, cut) >= 10,
      'the sidebar in force on the first node',
    );
    expect(receivedAfter(client, attorney, cut)).toBe(0);
    // The client's original level under the interpretation (the desk's state, not the default 20 %).
    expect(await client.send('setOriginalLevel', { level: 35 })).toEqual({ ok: true, data: null });
    expect(
      await interpreter.send('setInterpretation', { mode: 'SIMULTANEOUS', renderingInto: 'es' }),
    ).toEqual({ ok: true, data: null });
    // Acknowledged once shared: the snapshot a re-created call starts from already says so.
    const saved = await shared.callStates.load(consultationId);
    expect(saved).toMatchObject({ mode: 'SIMULTANEOUS', renderingInto: 'es', started: true });
    expect(saved?.sidebar?.memberIds.sort()).toEqual([ids.attorney, ids.interpreter].sort());
    const sidebarId = saved!.sidebar!.id;

    child!.kill('SIGKILL');
    for (const who of first) {
      await waitUntil(() => who.disconnectReason !== undefined, `${who.name}'s socket is closed`, 10_000);
      expect(who.disconnectReason).toBe('io server disconnect');
      await who.close();
    }
    expect(await registry.ownerOf(consultationId)).toBeNull();

    // The pages reconnect and rejoin with new tickets, well within the 30 s grace.
    const attorneyAgain = await connect('attorney again');
    const joined = await attorneyAgain.joinWithMedia(
      await ticket('attorney@parley.demo', consultationId),
      ATTORNEY_AGAIN,
    );
    expect(await registry.ownerOf(consultationId)).toBe('kill-2');
    expect(entry.server.signaling.liveCalls.has(consultationId)).toBe(true);
    expect(joined.state).toMatchObject({
      mode: 'SIMULTANEOUS',
      renderingInto: 'es',
      sidebar: { active: true },
    });
    // Seats kept: the two not back yet are reconnecting, not gone.
    expect(Object.fromEntries(joined.state.participants.map((p) => [p.participantId, p.status]))).toEqual({
      [ids.attorney]: expect.stringMatching(/^connect/),
      [ids.interpreter]: 'reconnecting',
      [`client:${consultationId}`]: 'reconnecting',
    });
    const interpreterAgain = await connect('interpreter again');
    await interpreterAgain.joinWithMedia(
      await ticket('interpreter@parley.demo', consultationId),
      INTERPRETER_AGAIN,
    );
    const clientAgain = await connect('client again');
    const clientJoined = await clientAgain.joinWithMedia(await kioskTicket(), CLIENT_AGAIN);
    // The interpreters' desk came along: the client's original level, the interpreter's channel.
    expect(clientJoined.state.interpretation?.originalLevel).toBe(35);
    expect(clientJoined.state.interpretation?.interpreters).toMatchObject([
      { participantId: ids.interpreter, renderingInto: 'es', live: true },
    ]);
    expect(clientJoined.state.sidebar).toEqual({
      active: true,
      memberIds: [ids.attorney, ids.interpreter],
    });
    const again = [attorneyAgain, interpreterAgain, clientAgain];
    await attorneyAgain.waitForState(
      (s) => s.participants.filter((p) => p.status === 'connected').length === 3,
      'all three seated again',
    );
    for (const c of again) c.peer!.startSending();
    const resumed = cutNow(...again);
    // Who hears whom is the sidebar's: attorney and interpreter hear each other and the client;
    // the client hears neither of them.
    await waitUntil(
      () =>
        receivedAfter(attorneyAgain, interpreterAgain, resumed) >= 25 &&
        receivedAfter(interpreterAgain, attorneyAgain, resumed) >= 25 &&
        receivedAfter(attorneyAgain, clientAgain, resumed) >= 25,
      'audio among the sidebar members on the live node',
    );
    expect(clientAgain.peer!.from(ATTORNEY_AGAIN)).toEqual([]);
    expect(clientAgain.peer!.from(INTERPRETER_AGAIN)).toEqual([]);

    // The sidebar was what kept the client out: once the attorney ends it, the client hears both.
    expect(await attorneyAgain.send('setSidebar', { active: false })).toEqual({ ok: true, data: null });
    await waitUntil(
      () =>
        clientAgain.peer!.from(ATTORNEY_AGAIN).length >= 10 &&
        clientAgain.peer!.from(INTERPRETER_AGAIN).length >= 10,
      'the client hears both after the sidebar',
    );

    // The dead node comes back on its journal (as the compose file restarts it) and is stopped
    // again: what it recorded before the kill and had not stored is stored now, once.
    child = await startKillNode();
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    expect(existsSync(journalPath)).toBe(false);

    // One call in the session log: started once, the same sidebar started once and ended once, the
    // mode changed once, and everyone back from the dead node as REJOINED.
    await entry.server.sessionLog.flush();
    const events = (await new SessionLogRepository(cluster.database.prisma).chainOf(consultationId)).filter(
      (e) => e.type !== 'QUALITY_WARNING',
    );
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count('CALL_STARTED')).toBe(1);
    expect(count('PARTICIPANT_JOINED')).toBe(3);
    expect(events.filter((e) => e.type === 'ROUTING_CHANGED').map((e) => e.payload)).toEqual([
      { mode: 'SIMULTANEOUS', direction: { from: 'en', to: 'es' } },
    ]);
    expect(events.filter((e) => e.type === 'SIDEBAR_STARTED').map((e) => e.payload)).toEqual([
      { sidebarId, participantIds: [ids.attorney, ids.interpreter] },
    ]);
    expect(events.filter((e) => e.type === 'SIDEBAR_ENDED').map((e) => e.payload)).toEqual([{ sidebarId }]);
    const rejoined = events.filter((e) => e.type === 'PARTICIPANT_RECONNECTED').map((e) => e.payload);
    expect(rejoined).toHaveLength(3);
    for (const payload of rejoined) expect(payload).toMatchObject({ reason: 'REJOINED' });
  });
});
