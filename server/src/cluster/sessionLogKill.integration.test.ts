import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { seedDemoData } from '../db/seed.ts';
import { createLogger } from '../logger.ts';
import { waitUntil } from '../media/testing/callHarness.ts';
import { SessionLogRepository } from '../sessionLog/SessionLogRepository.ts';
import { SessionLogWriter, type SessionLogWriterStats } from '../sessionLog/SessionLogWriter.ts';
import { verifyChain } from '../sessionLog/verifyChain.ts';
import { insertDemoConsultation } from '../testing/consultationFixtures.ts';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../testing/testDatabase.ts';

/**
 * The session log when a node is killed (`kill -9`) while it writes: each node has its own writer
 * (batched transactions on PostgreSQL, and with several nodes every event in its on-disk journal
 * before record() returns). One node's writer runs in a process of its own
 * (testing/logWriterProcess.ts), recording numbered events faster than the database takes them, so
 * some are being written, some wait in memory (read back from the journal) and some in the journal;
 * another node's writer, in this process, appends to the same consultation's log all along. The
 * first is killed mid-write and started again on its journal, as a restarted node is.
 *
 * Needs PostgreSQL (TEST_DATABASE_URL): PGlite cannot be shared between processes.
 */

const WRITER_PROCESS = fileURLToPath(new URL('./testing/logWriterProcess.ts', import.meta.url));

interface Fact {
  stored?: number[];
  recorded?: number;
  stats?: SessionLogWriterStats;
  recovered?: { replayed: number; stats: SessionLogWriterStats };
}

/** Starts the writer process; `onFact` sees each line it prints. */
function startWriter(env: Record<string, string>, onFact: (fact: Fact) => void): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER_PROCESS], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => onFact(JSON.parse(line) as Fact));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe.skipIf(!testDatabaseUrl())('the session log of a node killed mid-write', () => {
  let database: TestDatabase;
  const journalPaths: string[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoData(database.prisma, createLogger('silent'));
  }, 120_000);

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database?.close();
    for (const path of journalPaths) rmSync(path, { force: true });
  });

  /**
   * `flood`: 50 events every 5 ms, far more than the database takes: a backlog in memory and in the
   * journal, whose replay meets events stored already and events not yet stored. `steady`: one
   * event every 5 ms, which the database keeps up with: a few events in flight at any moment (in a
   * transaction, or waiting for the next one), as on a node in ordinary use.
   */
  async function killMidWrite(pace: 'flood' | 'steady', kioskPin: string): Promise<void> {
    const consultationId = await insertDemoConsultation(database.prisma, {
      startsInMinutes: -1,
      kioskPin,
    });
    const { organizationId } = await database.prisma.consultation.findUniqueOrThrow({
      where: { id: consultationId },
      select: { organizationId: true },
    });
    const journalPath = join(tmpdir(), `parley-kill-journal-${randomUUID()}.ndjson`);
    journalPaths.push(journalPath);
    const killed = randomUUID();
    const other = randomUUID();

    // The other node: its own pool and writer, one event every few milliseconds, before, during
    // and after the kill.
    const otherDb = await openDatabase({
      url: database.url!,
      migrate: false,
      logger: createLogger('silent'),
    });
    const otherWriter = new SessionLogWriter({ db: otherDb.prisma, logger: createLogger('silent') });
    const otherStored = new Set<number>();
    otherWriter.onPersisted((events) => {
      for (const e of events) {
        const payload = e.payload as { participantId?: string; offlineMs?: number };
        if (payload.participantId === other) otherStored.add(payload.offlineMs!);
      }
    });
    let otherN = 0;
    const otherTimer = setInterval(() => {
      otherN++;
      otherWriter.record({
        organizationId,
        consultationId,
        type: 'PARTICIPANT_RECONNECTED',
        payload: { participantId: other, role: 'ATTORNEY', offlineMs: otherN, reason: 'REJOINED' },
      });
    }, 3);

    const env = {
      DATABASE_URL: database.url!,
      JOURNAL_PATH: journalPath,
      MAX_QUEUED: '100',
      // As sessionLogFor makes it on a node with REDIS_URL set.
      WRITE_AHEAD: '1',
      ORGANIZATION_ID: organizationId,
      CONSULTATION_ID: consultationId,
      PARTICIPANT_ID: killed,
      PACE: pace,
    };
    // Acknowledged: the writer said these are stored.
    const acknowledged = new Set<number>();
    let recorded = 0;
    let stats: SessionLogWriterStats | undefined;
    const writer = startWriter({ ...env, RECORD: '1' }, (fact) => {
      for (const n of fact.stored ?? []) acknowledged.add(n);
      if (fact.recorded) recorded = fact.recorded;
      if (fact.stats) stats = fact.stats;
    });
    children.push(writer);

    // Mid-write: well under way, with events recorded and not stored yet.
    await waitUntil(
      () =>
        pace === 'flood'
          ? acknowledged.size >= 1_000 && (stats?.journaled ?? 0) > 0 && (stats?.queued ?? 0) > 0
          : acknowledged.size >= 200 && recorded > acknowledged.size,
      pace === 'flood' ? 'the writer busy with a backlog in memory and on disk' : 'events in flight',
      60_000,
    );
    writer.kill('SIGKILL');
    await exited(writer);
    const acknowledgedAtKill = new Set(acknowledged);
    const recordedAtKill = recorded;

    // What the journal held when the node died: its lines are on disk (appended before record()
    // returned), some already stored (read back and written, the file not yet cleared), some not.
    const journaled = (existsSync(journalPath) ? readFileSync(journalPath, 'utf8') : '')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { event: { id: string; payload: { offlineMs: number } } });
    const storedBefore = await database.prisma.sessionEvent.findMany({
      where: { id: { in: journaled.map((j) => j.event.id) } },
      select: { id: true },
    });
    // Both ways a restart can go wrong are on the table: entries stored already (a replay must not
    // store them again) and entries not stored yet (a replay must not lose them).
    if (pace === 'flood') {
      expect(storedBefore.length).toBeGreaterThan(0);
      expect(storedBefore.length).toBeLessThan(journaled.length);
    }

    // The node comes back on its journal.
    let recovered: Fact['recovered'];
    const again = startWriter({ ...env, RECORD: '0' }, (fact) => {
      for (const n of fact.stored ?? []) acknowledged.add(n);
      if (fact.recovered) recovered = fact.recovered;
    });
    children.push(again);
    await exited(again);
    expect(recovered?.replayed).toBe(journaled.length);
    expect(recovered?.stats).toMatchObject({ queued: 0, journaled: 0, rejected: 0, overflowed: 0 });

    clearInterval(otherTimer);
    await otherWriter.close();
    await otherDb.close();

    const events = await new SessionLogRepository(database.prisma).chainOf(consultationId);
    // One chain, unbroken, though two writers appended to it and one died mid-transaction.
    expect(verifyChain(consultationId, events)).toMatchObject({ valid: true, events: events.length });
    const numbers = (participantId: string) =>
      events
        .map((e) => e.payload as { participantId?: string; offlineMs?: number })
        .filter((p) => p.participantId === participantId)
        .map((p) => p.offlineMs!);
    const killedNumbers = numbers(killed);
    const otherNumbers = numbers(other);
    // Nothing twice.
    expect(killedNumbers.length).toBe(new Set(killedNumbers).size);
    expect(otherNumbers.length).toBe(new Set(otherNumbers).size);
    // Nothing acknowledged before the kill is missing, nor anything the journal held.
    const stored = new Set(killedNumbers);
    expect([...acknowledgedAtKill].filter((n) => !stored.has(n))).toEqual([]);
    expect(journaled.map((j) => j.event.payload.offlineMs).filter((n) => !stored.has(n))).toEqual([]);
    // The other node lost nothing either, and wrote all along.
    expect(otherNumbers.sort((x, y) => x - y)).toEqual(Array.from({ length: otherN }, (_v, i) => i + 1));
    // In recording order: the killed node's events are stored in the order they were numbered.
    expect(killedNumbers).toEqual([...killedNumbers].sort((x, y) => x - y));
    // Nor anything record() accepted before the kill: it was on disk before record() returned.
    const lost: number[] = [];
    for (let n = 1; n <= recordedAtKill; n++) if (!stored.has(n)) lost.push(n);
    expect(lost).toEqual([]);
    console.info(
      `kill -9 mid-write (${pace}): ${recordedAtKill} recorded, ${acknowledgedAtKill.size} acknowledged and ` +
        `${journaled.length} journaled (${storedBefore.length} of them stored) at the kill; ` +
        `${stored.size} stored after the restart`,
    );
  }

  it('flooded: loses no event it recorded and stores none twice; the chain holds', async () => {
    await killMidWrite('flood', '700001');
  }, 180_000);

  it('at an ordinary pace: loses none of the events in flight at the kill', async () => {
    await killMidWrite('steady', '700002');
  }, 180_000);
});
