import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { DEMO_PASSWORD } from '../../db/demoData.ts';
import { seedDemoData } from '../../db/seed.ts';
import { createLogger } from '../../logger.ts';
import { startServer, type RunningServer } from '../../server.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/testDatabase.ts';
import type { TestServer } from '../../testing/testServer.ts';

/** The secret every test node signs and checks tokens with (they must agree, as real nodes do). */
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123';

/** Redis on this machine and in CI (TESTING.md); REDIS_URL overrides it. */
export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** One Parley node of a test cluster: a real server, with TestServer's helpers (tickets work on it). */
export interface ClusterTestNode extends TestServer {
  nodeId: string;
}

export interface TestCluster {
  nodes: ClusterTestNode[];
  database: TestDatabase;
  /** The prefix of every Redis key of this cluster: unique per test file, so runs never collide. */
  keyPrefix: string;
  /** Starts one more node over the same database and Redis prefix. */
  addNode(nodeId: string, overrides?: Partial<Config>): Promise<ClusterTestNode>;
  close(): Promise<void>;
}

/**
 * Several real Parley servers on ephemeral ports sharing one fresh PostgreSQL (or PGlite) database
 * and the real Redis, as separate nodes of one deployment: each with its own socket.io server,
 * media engine, session log writer and node id; nothing in between is mocked.
 */
export async function startTestCluster(
  nodeIds: string[],
  overrides: Partial<Config> = {},
  redisUrl: string = TEST_REDIS_URL,
): Promise<TestCluster> {
  const database = await createTestDatabase();
  const logger = createLogger(process.env.CLUSTER_TEST_LOG ?? 'silent');
  await seedDemoData(database.prisma, logger);
  const keyPrefix = `parley-test:${randomUUID()}:`;
  const nodes: ClusterTestNode[] = [];

  async function addNode(nodeId: string, nodeOverrides: Partial<Config> = {}): Promise<ClusterTestNode> {
    const base = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: TEST_JWT_SECRET,
    });
    const config: Config = {
      ...base,
      port: 0,
      host: '127.0.0.1',
      seedDemoData: false,
      clientDistDir: '/nonexistent',
      loginRateLimit: { windowMs: 60_000, max: 1000 },
      sessionLogJournalPath: join(tmpdir(), `parley-test-journal-${randomUUID()}.ndjson`),
      media: { ...base.media, workers: 1, listenAddresses: ['127.0.0.1'] },
      ...overrides,
      ...nodeOverrides,
      cluster: {
        ...base.cluster,
        redisUrl,
        keyPrefix,
        nodeId,
        // Short, so that tests see a death soon; not so short that a busy machine looks like one.
        heartbeatMs: 500,
        ...overrides.cluster,
        ...nodeOverrides.cluster,
      },
    };
    // Each node its own connection pool on PostgreSQL, as separate processes have (and so its own
    // per-database caches, such as the session cache); PGlite lives in this process and is shared.
    const own = database.url
      ? await openDatabase({ url: database.url, migrate: false, logger: createLogger('silent') })
      : undefined;
    const server = await startServer({
      db: own?.prisma ?? database.prisma,
      config,
      logger: logger.child({ nodeId }),
    });
    const node = testNode(nodeId, server, config, database, async () => {
      await server.close();
      await own?.close();
    });
    nodes.push(node);
    return node;
  }

  for (const id of nodeIds) await addNode(id);
  return {
    nodes,
    database,
    keyPrefix,
    addNode,
    async close() {
      await Promise.allSettled(nodes.map((n) => n.close()));
      await database.close();
    },
  };
}

function testNode(
  nodeId: string,
  server: RunningServer,
  config: Config,
  database: TestDatabase,
  close: () => Promise<void>,
): ClusterTestNode {
  const url = server.url;
  const request: TestServer['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    const body = options.body === undefined ? options.rawBody : JSON.stringify(options.body);
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  return {
    nodeId,
    url,
    database,
    server,
    config,
    request,
    async login(email, password = DEMO_PASSWORD) {
      const { status, body } = await request('POST', '/api/auth/login', { body: { email, password } });
      if (status !== 200) throw new Error(`login ${email} failed: ${status} ${JSON.stringify(body)}`);
      return (body as { accessToken: string }).accessToken;
    },
    close,
  };
}
