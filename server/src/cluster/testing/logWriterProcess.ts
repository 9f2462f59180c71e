/**
 * One node's session log writer in a process of its own, for the test that kills it (`kill -9`) in
 * the middle of writing (sessionLogKill.integration.test.ts). It is the writer every node has
 * (SessionLogWriter, with its on-disk journal), on its own connection pool to PostgreSQL.
 *
 * Environment: DATABASE_URL (migrated and seeded), JOURNAL_PATH, MAX_QUEUED, WRITE_AHEAD ('1': as
 * a node with REDIS_URL set, every event on disk before record() returns), ORGANIZATION_ID,
 * CONSULTATION_ID, PARTICIPANT_ID, and RECORD: '1' records numbered events (PARTICIPANT_RECONNECTED
 * whose offlineMs is the event's number, from 1), 50 every 5 ms (PACE=flood) or one every 5 ms
 * (PACE=steady), until it is killed or has
 * recorded MAX_EVENTS; '0' records nothing: it starts (so replays what the journal holds), waits
 * until that is stored, prints and exits — a node coming back after it was killed.
 *
 * It prints one JSON line per fact, on stdout (a pipe: written before the next statement runs):
 * `{"stored":[n,…]}` once the writer says those events are in the database (its acknowledgement),
 * `{"recorded":n}` once events up to n were accepted by record(), `{"stats":…}` now and then, and
 * `{"recovered":{"replayed":…,"stats":…}}` at the end of a RECORD=0 run.
 */
import { openDatabase } from '../../db/database.ts';
import { createLogger } from '../../logger.ts';
import { SessionLogWriter } from '../../sessionLog/SessionLogWriter.ts';
import { SessionLogJournal } from '../../sessionLog/SessionLogJournal.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const logger = createLogger(process.env.CLUSTER_TEST_LOG ?? 'silent');
const journalPath = env('JOURNAL_PATH');
const participantId = env('PARTICIPANT_ID');
const database = await openDatabase({ url: env('DATABASE_URL'), migrate: false, logger });
const print = (fact: unknown) => process.stdout.write(`${JSON.stringify(fact)}\n`);

// What the journal holds as this node starts: what a previous run left to replay.
const replayed = new SessionLogJournal(journalPath).pending;
const writer = new SessionLogWriter({
  db: database.prisma,
  logger,
  journalPath,
  maxQueued: Number(env('MAX_QUEUED')),
  writeAhead: process.env.WRITE_AHEAD === '1',
});
writer.onPersisted((events) => {
  const stored = events
    .filter((e) => (e.payload as { participantId?: string }).participantId === participantId)
    .map((e) => (e.payload as { offlineMs: number }).offlineMs);
  if (stored.length > 0) print({ stored });
});

if (process.env.RECORD === '1') {
  const maxEvents = Number(process.env.MAX_EVENTS ?? 50_000);
  let n = 0;
  const stats = setInterval(() => print({ stats: writer.stats() }), 50);
  const burst = () => {
    const perBurst = process.env.PACE === 'steady' ? 1 : 50;
    for (let i = 0; i < perBurst && n < maxEvents; i++) {
      n++;
      const accepted = writer.record({
        organizationId: env('ORGANIZATION_ID'),
        consultationId: env('CONSULTATION_ID'),
        type: 'PARTICIPANT_RECONNECTED',
        actorUserId: null,
        actorRole: null,
        payload: { participantId, role: 'CLIENT', offlineMs: n, reason: 'REJOINED' },
      });
      if (!accepted) throw new Error(`event ${n} was not accepted`);
    }
    print({ recorded: n });
    if (n < maxEvents) setTimeout(burst, 5);
    else clearInterval(stats);
  };
  burst();
} else {
  await writer.flush();
  print({ recovered: { replayed, stats: writer.stats() } });
  await writer.close();
  await database.close();
  process.exit(0);
}
