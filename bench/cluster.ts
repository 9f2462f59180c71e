/**
 * Several Parley nodes (issue 14), with the real Redis and PostgreSQL: two nodes, each a process
 * of its own (server/src/cluster/testing/nodeProcess.ts: the real server, werift engine, Redis
 * Streams adapter, room registry and call relay), over one fresh PostgreSQL database and one Redis
 * key prefix. The headless participants (SignalingTestClient, werift) run in this process.
 *
 * - `cluster.join.{owner,relayed}.join_ack` and `.first_audio`: the interpreter's join through the
 *   node that holds the call, and through the other node (its socket relayed to the owner over
 *   Redis), alternately, in the same calls: from the `join` message to its acknowledgement (with
 *   the SFU's offer), and to the first packet of the attorney's audio. Ratios relayed / owner.
 * - `cluster.signalling.{owner,relayed}`: `setMuted` round trips one after the other (each a real
 *   change: everyone in the call is sent the new state through the adapter), and messages per
 *   second with 200 in flight.
 * - `cluster.recovery.kill_to_first_audio`: kill -9 of the node holding a call whose attorney and
 *   interpreter entered through the other node; from the kill to the first packet each hears from
 *   the other again, the pages rejoining as the call page does (on 'io server disconnect', a new
 *   ticket and a join through the live node). Includes detecting the death: the node record
 *   expires three heartbeats after the last, and the relay closes sockets after two checks.
 *
 *   npx tsx bench/cluster.ts [--quick]        # also: npm run bench -- --only=cluster
 *
 * Needs PostgreSQL (TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres)
 * and Redis (REDIS_URL, default redis://127.0.0.1:6379). Stops by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { SignalingTestClient } from '../server/src/calls/testing/SignalingTestClient.ts';
import { NodeRegistry } from '../server/src/cluster/NodeRegistry.ts';
import { seedDemoData } from '../server/src/db/seed.ts';
import { createLogger } from '../server/src/logger.ts';
import { insertDemoConsultation } from '../server/src/testing/consultationFixtures.ts';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/testDatabase.ts';
import { signIn, userTicket } from './join/http.ts';
import { emit, median, note, quantile, sleep } from './media/support.ts';

const NODE_PROCESS = fileURLToPath(new URL('../server/src/cluster/testing/nodeProcess.ts', import.meta.url));
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-01';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const ATTORNEY = 0;
const INTERPRETER = 1;

export interface ClusterBenchOptions {
  /** Joins through each node (owner, relayed). */
  joinSamples: number;
  /** Sequential setMuted round trips per path. */
  messageSamples: number;
  /** Kills of the node holding a call. */
  recoverySamples: number;
  /** The nodes' heartbeat (NODE_HEARTBEAT_MS); production's default is 2000. */
  heartbeatMs: number;
}

interface BenchNode {
  nodeId: string;
  url: string;
  process: ChildProcess;
  /** Its session log journal, removed at the end (a killed node leaves it behind). */
  journalPath: string;
}

export async function runCluster(options: ClusterBenchOptions): Promise<void> {
  process.env.TEST_DATABASE_URL ||= 'postgresql://postgres@127.0.0.1:5432/postgres';
  const database = await createTestDatabase();
  await seedDemoData(database.prisma, createLogger('silent'));
  const keyPrefix = `parley-bench:${randomUUID()}:`;
  const redis = new Redis(REDIS_URL);
  const registry = new NodeRegistry(redis, keyPrefix, 'bench', options.heartbeatMs);
  const nodes: BenchNode[] = [];
  const start = async (nodeId: string) => {
    const node = await startNode(database, keyPrefix, nodeId, options.heartbeatMs);
    nodes.push(node);
    return node;
  };
  let pin = 800_000;
  const consultation = () =>
    insertDemoConsultation(database.prisma, { startsInMinutes: -1, kioskPin: String(pin++) });
  try {
    // Ties of the least-loaded placement go to the first id: calls are placed on `a` while it is up.
    const a = await start('bench-a');
    const b = await start('bench-b');
    const tokens = {
      attorney: await signIn(b.url, 'attorney@parley.demo'),
      interpreter: await signIn(b.url, 'interpreter@parley.demo'),
    };
    note(`cluster: nodes ${a.url} (a) and ${b.url} (b), heartbeat ${options.heartbeatMs} ms`);
    await measureJoins(options, registry, [a, b], tokens, consultation);
    await measureSignalling(options, registry, [a, b], tokens, consultation);
    // Only b and the node to be killed from here on: a drains (it holds no call) and exits.
    a.process.kill('SIGTERM');
    await new Promise((resolve) => a.process.once('exit', resolve));
    await measureRecovery(options, registry, b, tokens, consultation, start);
  } finally {
    for (const node of nodes) if (node.process.exitCode === null) node.process.kill('SIGKILL');
    for (const node of nodes) rmSync(node.journalPath, { force: true });
    redis.disconnect();
    await database.close();
  }
}

async function startNode(
  database: TestDatabase,
  keyPrefix: string,
  nodeId: string,
  heartbeatMs: number,
): Promise<BenchNode> {
  const journalPath = join(tmpdir(), `parley-bench-journal-${nodeId}-${randomUUID()}.ndjson`);
  const child = spawn(process.execPath, ['--import', 'tsx', NODE_PROCESS], {
    env: {
      ...process.env,
      DATABASE_URL: database.url!,
      REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
      NODE_ID: nodeId,
      NODE_HEARTBEAT_MS: String(heartbeatMs),
      SESSION_LOG_JOURNAL: journalPath,
      JWT_SECRET,
      // Generous sign-in limits: the benchmark signs in a handful of times.
      LOGIN_RATE_LIMIT_MAX: '1000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve((JSON.parse(line) as { url: string }).url),
    );
    child.once('exit', (code) => reject(new Error(`node ${nodeId} exited (${code})`)));
  });
  return { nodeId, url, process: child, journalPath };
}

type Tokens = { attorney: string; interpreter: string };

/** Polls every millisecond (the test client keeps packets without arrival times). */
async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(1);
  }
}

async function ownerNode(registry: NodeRegistry, nodes: BenchNode[], consultationId: string) {
  const owner = await registry.ownerOf(consultationId);
  const node = nodes.find((n) => n.nodeId === owner);
  if (!node) throw new Error(`the call ${consultationId} is on ${owner}, not a benchmark node`);
  return { owner: node, other: nodes.find((n) => n !== node)! };
}

async function endCall(attorney: SignalingTestClient): Promise<void> {
  await attorney.send('endCall').catch(() => undefined);
  attorney.peer?.stopSending();
  await attorney.close();
}

async function measureJoins(
  options: ClusterBenchOptions,
  registry: NodeRegistry,
  nodes: BenchNode[],
  tokens: Tokens,
  consultation: () => Promise<string>,
): Promise<void> {
  const samples = {
    owner: { ack: [] as number[], audio: [] as number[] },
    relayed: { ack: [] as number[], audio: [] as number[] },
  };
  for (let i = 0; i < options.joinSamples; i++) {
    const consultationId = await consultation();
    const attorney = await SignalingTestClient.connect(nodes[0]!.url, 'attorney');
    try {
      await attorney.joinWithMedia(
        await userTicket(nodes[0]!.url, tokens.attorney, consultationId),
        ATTORNEY,
      );
      attorney.peer!.startSending();
      const { owner, other } = await ownerNode(registry, nodes, consultationId);
      // Alternate which path goes first, so neither always meets a warmer call.
      const order = i % 2 === 0 ? (['owner', 'relayed'] as const) : (['relayed', 'owner'] as const);
      for (const path of order) {
        const entry = path === 'owner' ? owner : other;
        const ticket = await userTicket(entry.url, tokens.interpreter, consultationId);
        const interpreter = await SignalingTestClient.connect(entry.url, `interpreter via ${path}`);
        try {
          const t0 = performance.now();
          const joined = await interpreter.join(ticket);
          const ack = performance.now() - t0;
          if (!joined.ok) throw new Error(`join via ${path} refused: ${joined.error.code}`);
          await interpreter.connectMedia(joined.data, INTERPRETER);
          await waitUntil(() => interpreter.peer!.from(ATTORNEY).length > 0, 'first audio');
          samples[path].ack.push(ack);
          samples[path].audio.push(performance.now() - t0);
          await interpreter.send('leave').catch(() => undefined);
        } finally {
          await interpreter.close();
        }
        await sleep(200);
      }
      note(
        `cluster join ${i + 1}/${options.joinSamples}: ack owner ${samples.owner.ack.at(-1)!.toFixed(1)} ms, ` +
          `relayed ${samples.relayed.ack.at(-1)!.toFixed(1)} ms`,
      );
    } finally {
      await endCall(attorney);
    }
  }
  for (const [what, key] of [
    ['join_ack', 'ack'],
    ['first_audio', 'audio'],
  ] as const) {
    for (const path of ['owner', 'relayed'] as const) {
      const values = samples[path][key];
      emit({
        figure: `cluster.join.${path}.${what}`,
        median: median(values),
        p95: quantile(values, 0.95),
        p99: quantile(values, 0.99),
        unit: 'ms',
        samples: values.length,
      });
    }
    emit({
      figure: `ratio.cluster.join.relayed_over_owner.${what}`,
      median: median(samples.relayed[key]) / median(samples.owner[key]),
      p95: quantile(samples.relayed[key], 0.95) / quantile(samples.owner[key], 0.95),
      p99: null,
      unit: 'ratio',
    });
  }
}

async function measureSignalling(
  options: ClusterBenchOptions,
  registry: NodeRegistry,
  nodes: BenchNode[],
  tokens: Tokens,
  consultation: () => Promise<string>,
): Promise<void> {
  const consultationId = await consultation();
  const attorney = await SignalingTestClient.connect(nodes[0]!.url, 'attorney');
  const opened: SignalingTestClient[] = [];
  try {
    await attorney.joinWithMedia(await userTicket(nodes[0]!.url, tokens.attorney, consultationId), ATTORNEY);
    const { owner, other } = await ownerNode(registry, nodes, consultationId);
    const rtts: Record<string, number> = {};
    for (const [path, entry] of [
      ['owner', owner],
      ['relayed', other],
    ] as const) {
      // The interpreter (no media needed to mute): one socket through this path.
      const interpreter = await SignalingTestClient.connect(entry.url, `interpreter via ${path}`);
      opened.push(interpreter);
      const joined = await interpreter.join(await userTicket(entry.url, tokens.interpreter, consultationId));
      if (!joined.ok) throw new Error(`join via ${path} refused: ${joined.error.code}`);
      let audio = false;
      const mute = async () => {
        audio = !audio;
        const ack = await interpreter.send('setMuted', { audio, video: true });
        if (!ack.ok) throw new Error(`setMuted via ${path}: ${ack.error.code}`);
      };
      for (let i = 0; i < 20; i++) await mute(); // warm-up
      const round: number[] = [];
      for (let i = 0; i < options.messageSamples; i++) {
        const t0 = performance.now();
        await mute();
        round.push(performance.now() - t0);
      }
      const inFlight = 200;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, (_v, i) =>
          interpreter.send('setMuted', { audio: i % 2 === 0, video: true }).then((ack) => {
            if (!ack.ok) throw new Error(`setMuted via ${path}: ${ack.error.code}`);
          }),
        ),
      );
      const perSecond = inFlight / ((performance.now() - t0) / 1000);
      rtts[path] = median(round);
      emit({
        figure: `cluster.signalling.${path}.round_trip`,
        median: median(round),
        p95: quantile(round, 0.95),
        p99: quantile(round, 0.99),
        unit: 'ms',
        samples: round.length,
      });
      emit({
        figure: `cluster.signalling.${path}.messages_per_s`,
        median: perSecond,
        p99: null,
        unit: 'msg/s',
        in_flight: inFlight,
        note: 'setMuted, each acknowledged after the state went to everyone in the call',
      });
      await interpreter.send('leave').catch(() => undefined);
    }
    emit({
      figure: 'ratio.cluster.signalling.relayed_over_owner.round_trip',
      median: rtts.relayed! / rtts.owner!,
      p99: null,
      unit: 'ratio',
    });
  } finally {
    for (const c of opened) await c.close();
    await endCall(attorney);
  }
}

async function measureRecovery(
  options: ClusterBenchOptions,
  registry: NodeRegistry,
  survivor: BenchNode,
  tokens: Tokens,
  consultation: () => Promise<string>,
  start: (nodeId: string) => Promise<BenchNode>,
): Promise<void> {
  const recovery: number[] = [];
  const detection: number[] = [];
  for (let i = 0; i < options.recoverySamples; i++) {
    // A fresh victim; its id sorts before the survivor's, so the call is placed on it.
    const victim = await start(`bench-a-${i + 1}`);
    const consultationId = await consultation();
    const opened: SignalingTestClient[] = [];
    const enter = async (name: string, token: string, index: number) => {
      const c = await SignalingTestClient.connect(survivor.url, name);
      opened.push(c);
      await c.joinWithMedia(await userTicket(survivor.url, token, consultationId), index);
      c.peer!.startSending();
      return c;
    };
    try {
      const attorney = await enter('attorney', tokens.attorney, ATTORNEY);
      const interpreter = await enter('interpreter', tokens.interpreter, INTERPRETER);
      if ((await registry.ownerOf(consultationId)) !== victim.nodeId)
        throw new Error('the call was not placed on the node to be killed');
      await waitUntil(
        () => attorney.peer!.from(INTERPRETER).length >= 5 && interpreter.peer!.from(ATTORNEY).length >= 5,
        'audio both ways before the kill',
      );
      // As the call page does: when the server closes the socket, a new ticket and a join.
      const rejoin = (who: SignalingTestClient, token: string, index: number) =>
        new Promise<SignalingTestClient>((resolve, reject) => {
          who.socket.once('disconnect', () => {
            who.peer?.stopSending();
            enter(`${who.name} again`, token, index).then(resolve, reject);
          });
        });
      const attorneyBack = rejoin(attorney, tokens.attorney, ATTORNEY + 2);
      const interpreterBack = rejoin(interpreter, tokens.interpreter, INTERPRETER + 2);
      const killedAt = performance.now();
      victim.process.kill('SIGKILL');
      let closedAt = 0;
      void Promise.race([
        new Promise((resolve) => attorney.socket.once('disconnect', resolve)),
        new Promise((resolve) => interpreter.socket.once('disconnect', resolve)),
      ]).then(() => (closedAt = performance.now()));
      const [a2, i2] = await Promise.all([attorneyBack, interpreterBack]);
      await waitUntil(
        () => a2.peer!.from(INTERPRETER + 2).length > 0 && i2.peer!.from(ATTORNEY + 2).length > 0,
        'audio both ways after the kill',
        30_000,
      );
      recovery.push(performance.now() - killedAt);
      detection.push(closedAt - killedAt);
      note(
        `cluster recovery ${i + 1}/${options.recoverySamples}: sockets closed after ` +
          `${detection.at(-1)!.toFixed(0)} ms, audio again after ${recovery.at(-1)!.toFixed(0)} ms`,
      );
      await endCall(a2);
    } finally {
      for (const c of opened) {
        c.peer?.stopSending();
        await c.close().catch(() => undefined);
      }
    }
  }
  emit({
    figure: 'cluster.recovery.kill_to_first_audio',
    median: median(recovery),
    p95: quantile(recovery, 0.95),
    p99: quantile(recovery, 0.99),
    unit: 'ms',
    samples: recovery.length,
    heartbeat_ms: options.heartbeatMs,
    kill_to_sockets_closed_median_ms: median(detection),
    note: 'kill -9 of the node holding the call → relayed sockets closed → new ticket, join through the live node, ICE+DTLS → first packet both ways',
  });
}

/** The quick run (a functional check, CI-sized) and the full one (production's heartbeat). */
export const CLUSTER_BENCH: Record<'quick' | 'full', ClusterBenchOptions> = {
  quick: { joinSamples: 2, messageSamples: 20, recoverySamples: 1, heartbeatMs: 500 },
  full: { joinSamples: 20, messageSamples: 200, recoverySamples: 5, heartbeatMs: 2_000 },
};

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  runCluster(CLUSTER_BENCH[process.argv.includes('--quick') ? 'quick' : 'full']).then(
    () => process.exit(0),
    (error: unknown) => {
      note(
        `cluster benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exit(1);
    },
  );
}
