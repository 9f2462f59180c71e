import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalingTestClient } from '../calls/testing/SignalingTestClient.ts';
import { userCallTicket } from '../calls/testing/tickets.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { startTestCluster, type ClusterTestNode, type TestCluster } from './testing/clusterNodes.ts';

/**
 * Redis restarts mid-call. The shared Redis of this machine is not ours to restart, so the test
 * runs a private redis-server (the Debian package's, as on every machine here and in CI) on a free
 * port, without persistence: the restart loses every key, as a crash of a cache-only Redis would.
 */

const ATTORNEY = 0;
const INTERPRETER = 1;
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe.skipIf(!hasRedisServer)('Redis restarts mid-call', () => {
  let port: number;
  let redis: ChildProcess;
  let cluster: TestCluster;
  let owner: ClusterTestNode;
  let entry: ClusterTestNode;
  const opened: SignalingTestClient[] = [];

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    cluster = await startTestCluster(['restart-1', 'restart-2'], {}, `redis://127.0.0.1:${port}`);
    [owner, entry] = cluster.nodes as [ClusterTestNode, ClusterTestNode];
  }, 120_000);

  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await cluster?.close();
    redis?.kill('SIGKILL');
  });

  async function joined(node: ClusterTestNode, email: string, consultationId: string, index: number) {
    const client = await SignalingTestClient.connect(node.url, email);
    opened.push(client);
    await client.joinWithMedia(await userCallTicket(node, await node.login(email), consultationId), index);
    return client;
  }

  it('media goes on while Redis is down; afterwards signalling through the other node works again', async () => {
    const consultationId = await insertDemoConsultation(cluster.database.prisma, {
      startsInMinutes: -1,
      kioskPin: '700001',
    });
    // The call lands on restart-1 (tie by name); the interpreter's socket is relayed from restart-2.
    const attorney = await joined(owner, 'attorney@parley.demo', consultationId, ATTORNEY);
    const interpreter = await joined(entry, 'interpreter@parley.demo', consultationId, INTERPRETER);
    expect(owner.server.signaling.liveCalls.has(consultationId)).toBe(true);
    expect(entry.server.signaling.liveCalls.has(consultationId)).toBe(false);
    attorney.peer!.startSending();
    interpreter.peer!.startSending();
    await waitUntil(() => interpreter.peer!.from(ATTORNEY).length >= 10, 'audio before the restart');

    redis.kill('SIGKILL');
    await stopped(redis);
    const heardBefore = interpreter.peer!.from(ATTORNEY).length;
    await waitUntil(
      () => interpreter.peer!.from(ATTORNEY).length >= heardBefore + 25,
      'audio while Redis is down',
    );

    redis = await startRedis(port);
    // Heartbeats come back, and the owner claims its call's room again (Redis lost every key).
    let nodes = 0;
    let roomOwner: string | null = null;
    for (let i = 0; i < 100 && (nodes < 2 || roomOwner !== 'restart-1'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      nodes = (await entry.server.cluster!.registry.liveNodes()).length;
      roomOwner = await entry.server.cluster!.registry.ownerOf(consultationId);
    }
    expect(nodes).toBe(2);
    expect(roomOwner).toBe('restart-1');

    // The relayed socket's message reaches the owner, and everyone hears of it through the adapter.
    expect(await interpreter.send('setMuted', { audio: true, video: true })).toMatchObject({ ok: true });
    await attorney.waitForState(
      (s) => s.participants.some((p) => p.role === 'INTERPRETER' && p.muted.audio),
      'the interpreter muted',
    );
    await interpreter.waitForState(
      (s) => s.participants.some((p) => p.role === 'INTERPRETER' && p.muted.audio),
      'its own mute, through the adapter',
    );
    const heardAfter = interpreter.peer!.from(ATTORNEY).length;
    await waitUntil(() => interpreter.peer!.from(ATTORNEY).length >= heardAfter + 10, 'audio after');
  });
});
