import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../db/database.ts';
import { poolConfigFromUrl } from '../db/migrate.ts';
import type { Db } from '../db/types.ts';
import { seedDemoData } from '../db/seed.ts';
import { createLogger } from '../logger.ts';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../testing/testDatabase.ts';
import type { NewSessionEvent } from './appendSessionEvent.ts';
import { SessionLogRepository } from './SessionLogRepository.ts';
import { SessionLogWriter } from './SessionLogWriter.ts';
import { seedConsultation, type SeededConsultation } from './sessionLogFixtures.ts';
import { verifyChain } from './verifyChain.ts';

const logger = createLogger('silent');

let database: TestDatabase;
/** The handle the writer uses; the PGlite outage replaces it with a reopened instance. */
let current: Db;
let reopened: Database | undefined;
let reopenedClient: PGlite | undefined;
let calls: SeededConsultation[];

beforeAll(async () => {
  database = await createTestDatabase();
  current = database.prisma;
  await seedDemoData(database.prisma, logger);
  calls = [];
  for (const [index, reference] of ['GS-2026-0101', 'GS-2026-0102', 'GS-2026-0103'].entries()) {
    calls.push(
      await seedConsultation(database.prisma, {
        caseReference: reference,
        startsAt: new Date(Date.UTC(2026, 2, 10 + index, 15)),
      }),
    );
  }
});
afterAll(async () => {
  await reopened?.close();
  await database?.close();
});

/** The n-th quality warning of a call: jitterMs carries n, so order is visible in the stored rows. */
function warning(c: SeededConsultation, n: number): NewSessionEvent {
  return {
    organizationId: c.organizationId,
    consultationId: c.id,
    type: 'QUALITY_WARNING',
    occurredAt: new Date(c.startsAt.getTime() + n * 1000),
    payload: { participantId: `client:${c.id}`, role: 'CLIENT', lossPct: 1, jitterMs: n, rttMs: 1 },
  };
}

async function storedWarnings(c: SeededConsultation): Promise<number[]> {
  const chain = await new SessionLogRepository(current).chainOf(c.id);
  expect(verifyChain(c.id, chain).valid).toBe(true);
  return chain.filter((e) => e.type === 'QUALITY_WARNING').map((e) => e.payload.jitterMs as number);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * Makes the database unreachable for real, runs `during` while it is, then brings it back.
 * PostgreSQL: refuse new connections and kill the pool's. PGlite: close the instance and reopen
 * it from its data directory under a new handle.
 */
async function outage(during: () => Promise<void>): Promise<void> {
  if (database.kind === 'postgres') {
    const admin = new pg.Client(poolConfigFromUrl(testDatabaseUrl()!));
    await admin.connect();
    const name = new URL(database.url!).pathname.slice(1);
    try {
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      await during();
    } finally {
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    return;
  }
  // The instance of the last outage's reopening, if any: outages can follow one another.
  const client = reopenedClient ?? (database.target as { client: PGlite }).client;
  const dataDir = await client.dumpDataDir('none');
  const previous = reopened;
  await (previous ? previous.close() : client.close());
  await during();
  reopenedClient = await PGlite.create({ loadDataDir: dataDir });
  reopened = openPglite(reopenedClient);
  current = reopened.prisma;
}

describe('SessionLogWriter', () => {
  it('writes interleaved calls in batches, each call in recording order with an intact chain', async () => {
    const writer = new SessionLogWriter({ db: () => current, logger, batchSize: 7 });
    const [a, b] = calls as [SeededConsultation, SeededConsultation];
    for (const n of range(0, 40)) {
      expect(writer.record(warning(a, n))).toBe(true);
      if (n % 2 === 0) expect(writer.record(warning(b, n))).toBe(true);
    }
    await writer.flush();
    expect(writer.stats()).toMatchObject({ queued: 0, persisted: 60, failedWrites: 0 });
    expect(await storedWarnings(a)).toEqual(range(0, 40));
    expect(await storedWarnings(b)).toEqual(range(0, 40).filter((n) => n % 2 === 0));
    await writer.close();
  });

  it('keeps one chain when two writers (two server processes) append to the same call at once', async () => {
    const [, b] = calls as [SeededConsultation, SeededConsultation];
    const before = (await storedWarnings(b)).length;
    const writers = [1, 2].map(
      () => new SessionLogWriter({ db: () => current, logger, batchSize: 5, flushDelayMs: 0 }),
    );
    for (const n of range(1000, 1060)) writers[n % 2]!.record(warning(b, n));
    await Promise.all(writers.map((w) => w.close()));
    const stored = (await storedWarnings(b)).slice(before); // storedWarnings checks the chain
    expect(stored).toHaveLength(60);
    // Each writer's own events stay in its recording order.
    expect(stored.filter((n) => n % 2 === 0)).toEqual(range(1000, 1060).filter((n) => n % 2 === 0));
    expect(stored.filter((n) => n % 2 === 1)).toEqual(range(1000, 1060).filter((n) => n % 2 === 1));
  });

  it('refuses, without throwing, an event outside the vocabulary and anything after close()', async () => {
    const writer = new SessionLogWriter({ db: () => current, logger });
    const [a] = calls as [SeededConsultation];
    const prose = { ...warning(a, 99), payload: { ...warning(a, 99).payload, note: 'he said…' } };
    expect(writer.record(prose)).toBe(false);
    expect(writer.record({ ...warning(a, 99), type: 'CHAT_MESSAGE' })).toBe(false);
    expect(writer.record(undefined as unknown as NewSessionEvent)).toBe(false);
    await writer.close();
    expect(writer.record(warning(a, 99))).toBe(false);
    expect(writer.stats()).toMatchObject({ queued: 0, persisted: 0 });
    await writer.close(); // idempotent
  });

  it('drops only the events the database refuses (an unknown consultation), not the others', async () => {
    const writer = new SessionLogWriter({ db: () => current, logger });
    const [, , c] = calls as [SeededConsultation, SeededConsultation, SeededConsultation];
    const ghost = { ...c, id: '00000000-0000-4000-8000-000000000000' };
    writer.record(warning(ghost, 1));
    writer.record(warning(c, 1));
    writer.record(warning(ghost, 2));
    writer.record(warning(c, 2));
    await writer.flush();
    expect(writer.stats()).toMatchObject({ queued: 0, persisted: 2, rejected: 2 });
    expect(await storedWarnings(c)).toEqual([1, 2]);
    await writer.close();
  });

  it('survives the database going away mid-call: every event lands once, in order, chained', async () => {
    const writer = new SessionLogWriter({
      db: () => current,
      logger,
      batchSize: 10,
      retryDelayMs: 20,
      maxRetryDelayMs: 200,
    });
    const [a, b] = calls as [SeededConsultation, SeededConsultation];
    const before = { a: (await storedWarnings(a)).length, b: (await storedWarnings(b)).length };
    for (const n of range(100, 120)) writer.record(warning(a, n));
    await writer.flush();

    await outage(async () => {
      // The call goes on while the database is down: recording stays synchronous and succeeds.
      for (const n of range(120, 170)) {
        expect(writer.record(warning(a, n))).toBe(true);
        expect(writer.record(warning(b, n))).toBe(true);
      }
      await until(() => writer.stats().failedWrites >= 3);
      expect(writer.stats().queued).toBe(100);
    });
    for (const n of range(170, 180)) writer.record(warning(a, n));
    await writer.close();

    expect(writer.stats()).toMatchObject({ queued: 0, persisted: 130, rejected: 0 });
    expect((await storedWarnings(a)).slice(before.a)).toEqual(range(100, 180));
    expect((await storedWarnings(b)).slice(before.b)).toEqual(range(120, 170));
  });

  it('caps its memory during a long outage: the overflow goes to disk and comes back in order, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-journal-'));
    const journalPath = join(dir, 'session-log-journal.ndjson');
    const writer = new SessionLogWriter({
      db: () => current,
      logger,
      batchSize: 7,
      retryDelayMs: 20,
      maxRetryDelayMs: 200,
      maxQueued: 25,
      journalPath,
    });
    const [a, b] = calls as [SeededConsultation, SeededConsultation];
    const before = { a: (await storedWarnings(a)).length, b: (await storedWarnings(b)).length };
    try {
      await outage(async () => {
        for (const n of range(300, 360)) {
          expect(writer.record(warning(a, n))).toBe(true);
          expect(writer.record(warning(b, n))).toBe(true);
        }
        await until(() => writer.stats().failedWrites >= 2);
        // 25 in memory, however long the outage; the other 95 on disk, in recording order.
        expect(writer.stats()).toMatchObject({ queued: 25, journaled: 95, overflowed: 0 });
        const lines = (await readFile(journalPath, 'utf8')).trim().split('\n');
        expect(lines).toHaveLength(95);
        expect(JSON.parse(lines[0]!).event.payload.jitterMs).toBe(312);
      });
      // While the journal drains, new events queue behind it, not ahead.
      for (const n of range(360, 365)) writer.record(warning(a, n));
      await writer.flush();
      expect(writer.stats()).toMatchObject({ queued: 0, journaled: 0, persisted: 125, rejected: 0 });
      expect(existsSync(journalPath)).toBe(false);
      expect((await storedWarnings(a)).slice(before.a)).toEqual(range(300, 365));
      expect((await storedWarnings(b)).slice(before.b)).toEqual(range(300, 360));
    } finally {
      await writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('replays a journal a crashed process left, storing what it had not stored and nothing twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-journal-'));
    const journalPath = join(dir, 'session-log-journal.ndjson');
    const c = calls[2]!;
    const before = (await storedWarnings(c)).length;
    // A run that journaled four events and stored the first two before it was killed.
    const first = new SessionLogWriter({ db: () => current, logger });
    const events = range(500, 504).map((n) => ({ ...warning(c, n), id: crypto.randomUUID() }));
    for (const event of events.slice(0, 2)) first.record(event);
    await first.close();
    const lines = events.map((event, ticket) =>
      JSON.stringify({ ticket, event: { ...event, actorUserId: null, actorRole: null } }),
    );
    await writeFile(journalPath, `${lines.join('\n')}\n`);

    const next = new SessionLogWriter({ db: () => current, logger, journalPath });
    expect(next.stats().journaled).toBe(4);
    next.record(warning(c, 504));
    await next.close();
    expect(next.stats()).toMatchObject({ journaled: 0, persisted: 3 });
    expect((await storedWarnings(c)).slice(before)).toEqual(range(500, 505));
    expect(existsSync(journalPath)).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });
});
