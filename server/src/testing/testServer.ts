import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import { hashPassword } from '../auth/passwords.ts';
import { DEMO_PASSWORD } from '../db/demoData.ts';
import { seedDemoData } from '../db/seed.ts';
import { createLogger } from '../logger.ts';
import { startServer, type RunningServer } from '../server.ts';
import { createTestDatabase, type TestDatabase } from './testDatabase.ts';

/** A second organisation with one of each role, to prove tenancy boundaries. */
export const OTHER_ORG_USERS = {
  staff: 'staff@other.test',
  attorney: 'attorney@other.test',
  interpreter: 'interpreter@other.test',
} as const;

export interface TestServer {
  url: string;
  database: TestDatabase;
  server: RunningServer;
  config: Config;
  /** JSON request helper: returns status and parsed body. */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** Signs in and returns the access token. */
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real Parley server on an ephemeral port over a fresh real database, seeded with the demo
 * organisation and a second organisation.
 */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const logger = createLogger('silent');
  await seedDemoData(database.prisma, logger);
  await seedOtherOrganization(database);
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      // Test receivers listen on 127.0.0.1. Tests of the refusal pass `webhooks` in `overrides`.
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    }),
    port: 0,
    host: '127.0.0.1',
    seedDemoData: false,
    clientDistDir: '/nonexistent',
    loginRateLimit: { windowMs: 60_000, max: 1000 },
    // Each test server's own: a journal is replayed into the database of whoever opens it.
    sessionLogJournalPath: join(tmpdir(), `parley-test-journal-${randomUUID()}.ndjson`),
    ...overrides,
  };
  const server = await startServer({ db: database.prisma, config, logger });
  const url = server.url;

  const request: TestServer['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers['Content-Type'] ??= 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
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
    async close() {
      await server.close();
      await database.close();
    },
  };
}

async function seedOtherOrganization(database: TestDatabase): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await database.prisma.organization.create({
    data: {
      name: 'Other Legal Aid',
      slug: 'other-legal-aid',
      users: {
        create: [
          { email: OTHER_ORG_USERS.staff, name: 'Other Staff', role: 'STAFF', passwordHash },
          {
            email: OTHER_ORG_USERS.attorney,
            name: 'Other Attorney',
            role: 'ATTORNEY',
            passwordHash,
            barNumber: 'TX-1',
          },
          {
            email: OTHER_ORG_USERS.interpreter,
            name: 'Other Interpreter',
            role: 'INTERPRETER',
            passwordHash,
            languages: ['es'],
          },
        ],
      },
      facilities: {
        create: { name: 'Other Facility', code: 'OTHER', timeZone: 'America/Denver', booths: 1 },
      },
    },
  });
}
