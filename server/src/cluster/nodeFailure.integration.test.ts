import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalingTestClient } from '../calls/testing/SignalingTestClient.ts';
import { userCallTicket } from '../calls/testing/tickets.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
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
const ATTORNEY_AGAIN = 2;
const INTERPRETER_AGAIN = 3;

const NODE_PROCESS = fileURLToPath(new URL('./testing/nodeProcess.ts', import.meta.url));

describe.skipIf(!testDatabaseUrl())('a node killed mid-call', () => {
  let cluster: TestCluster;
  let entry: ClusterTestNode;
  let child: ChildProcess | undefined;
  const opened: SignalingTestClient[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(['kill-2']);
    entry = cluster.nodes[0]!;
    child = spawn(process.execPath, ['--import', 'tsx', NODE_PROCESS], {
      env: {
        ...process.env,
        DATABASE_URL: cluster.database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: cluster.keyPrefix,
        NODE_ID: 'kill-1',
        JWT_SECRET: TEST_JWT_SECRET,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child!.stdout! });
      lines.once('line', () => resolve());
      child!.once('exit', (code) => reject(new Error(`the node process exited (${code})`)));
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await cluster?.close();
  });

  async function connect(name: string): Promise<SignalingTestClient> {
    const client = await SignalingTestClient.connect(entry.url, name);
    opened.push(client);
    return client;
  }

  async function ticket(email: string, consultationId: string): Promise<string> {
    return userCallTicket(entry, await entry.login(email), consultationId);
  }

  it('the call comes back on the live node when the pages rejoin, and audio flows again', async () => {
    const registry = entry.server.cluster!.registry;
    const live = await registry.liveNodes();
    expect(live.map((n) => n.nodeId).sort()).toEqual(['kill-1', 'kill-2']);
    const consultationId = await insertDemoConsultation(cluster.database.prisma, {
      startsInMinutes: -1,
      kioskPin: '600001',
    });
    // Both enter through this process's node; neither node holds a call, so the tie goes to kill-1.
    const attorney = await connect('attorney');
    await attorney.joinWithMedia(await ticket('attorney@parley.demo', consultationId), ATTORNEY);
    const interpreter = await connect('interpreter');
    await interpreter.joinWithMedia(await ticket('interpreter@parley.demo', consultationId), INTERPRETER);
    expect(await registry.ownerOf(consultationId)).toBe('kill-1');
    expect(entry.server.signaling.liveCalls.has(consultationId)).toBe(false);
    attorney.peer!.startSending();
    interpreter.peer!.startSending();
    await waitUntil(
      () => interpreter.peer!.from(ATTORNEY).length >= 10 && attorney.peer!.from(INTERPRETER).length >= 10,
      'audio both ways through the other process',
    );

    child!.kill('SIGKILL');
    for (const who of [attorney, interpreter]) {
      await waitUntil(() => who.disconnectReason !== undefined, `${who.name}'s socket is closed`, 10_000);
      expect(who.disconnectReason).toBe('io server disconnect');
      await who.close();
    }
    expect(await registry.ownerOf(consultationId)).toBeNull();

    // The pages reconnect and rejoin with new tickets, well within the 30 s grace.
    const attorneyAgain = await connect('attorney again');
    await attorneyAgain.joinWithMedia(await ticket('attorney@parley.demo', consultationId), ATTORNEY_AGAIN);
    const interpreterAgain = await connect('interpreter again');
    await interpreterAgain.joinWithMedia(
      await ticket('interpreter@parley.demo', consultationId),
      INTERPRETER_AGAIN,
    );
    expect(await registry.ownerOf(consultationId)).toBe('kill-2');
    expect(entry.server.signaling.liveCalls.has(consultationId)).toBe(true);
    attorneyAgain.peer!.startSending();
    interpreterAgain.peer!.startSending();
    await waitUntil(
      () =>
        interpreterAgain.peer!.from(ATTORNEY_AGAIN).length >= 10 &&
        attorneyAgain.peer!.from(INTERPRETER_AGAIN).length >= 10,
      'audio both ways on the live node',
    );
    await attorneyAgain.waitForState(
      (s) => s.participants.filter((p) => p.status === 'connected').length === 2,
      'both seated again',
    );
  });
});
