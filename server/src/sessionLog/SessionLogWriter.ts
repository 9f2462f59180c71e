import { randomUUID } from 'node:crypto';
import type { Db } from '../db/types.ts';
import type { Logger } from '../logger.ts';
import {
  appendSessionEvents,
  normalizeSessionEvent,
  type ChainedSessionEvent,
  type NewSessionEvent,
  type SessionEventInput,
} from './appendSessionEvent.ts';
import { SessionLogJournal } from './SessionLogJournal.ts';

export interface SessionLogWriterOptions {
  /** The database, or a function returning the current handle (it may be replaced after an outage). */
  db: Db | (() => Db);
  logger: Logger;
  /** Most events written in one transaction. */
  batchSize?: number;
  /** How long a recorded event may wait for others to share its transaction. */
  flushDelayMs?: number;
  /** First retry delay after a failed write; doubles per failure up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * Most events held in memory (default 10 000). Beyond it, during a long database outage, events
   * go to the on-disk journal at `journalPath`; without a journal they are refused (logged).
   */
  maxQueued?: number;
  /** The overflow journal's file (sessionLogFor puts it beside the data folder). */
  journalPath?: string;
  /**
   * Every event goes to the journal before record() returns, not only past the memory cap: a
   * process killed mid-call loses nothing it recorded, and replays the file when it starts again
   * (on with several nodes, where one node's death must not cost the log anything). Needs `journalPath`.
   */
  writeAhead?: boolean;
}

export interface SessionLogWriterStats {
  /** Recorded and not yet stored, in memory. */
  queued: number;
  /** Recorded and not yet stored, waiting in the on-disk journal. */
  journaled: number;
  /** Refused because the queue was full and there is no journal. */
  overflowed: number;
  /** Stored since the writer started. */
  persisted: number;
  /** Failed write attempts (each is retried). */
  failedWrites: number;
  /** Events the database refused outright (a consultation that does not exist): logged, not retried. */
  rejected: number;
}

/** Called after events are stored, in order; a listener's exception is logged and swallowed. */
export type PersistedListener = (events: readonly ChainedSessionEvent[]) => void;

interface Queued {
  event: SessionEventInput & { id: string };
  /** Position in recording order: flush() waits for everything recorded before it was called. */
  ticket: number;
  /** Read back from the journal (its file may be removed only once these are stored). */
  fromJournal?: boolean;
  /** From a journal a previous run left: it may have been stored before the crash. */
  maybeStored?: boolean;
}

/** Errors that retrying cannot fix: the data itself is refused (integrity violations). */
function isPermanent(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && ['P2003', 'P2004', 'P2011', 'P2012', 'P2025'].includes(code)) return true;
  const message = err instanceof Error ? err.message : String(err);
  return /violates (foreign key|check|not-null) constraint|append-only/i.test(message);
}

/**
 * The one way a live call writes its session log. `record()` is synchronous, cheap and never
 * throws, so the signalling and media paths can call it inline; events wait in memory and are
 * written in batches, one transaction per batch, a few milliseconds later.
 *
 * If the database is unreachable the head batch is retried with exponential backoff; nothing behind
 * it is written first, so a consultation's events are stored in the order they were recorded.
 * Every event carries an id from the moment it is recorded, so a batch whose commit outcome was lost
 * is recognised on retry and not stored twice.
 *
 * Memory is capped (`maxQueued`). During a long outage, once the queue is full, events spill to an
 * append-only journal on disk, in recording order, and every later event follows them there until
 * the journal is read back — so the order stays the recording order and nothing recorded is lost.
 * (The alternative, refusing new calls while the database is unreachable, would still have to keep
 * the calls in progress, and would turn a database blip into people who cannot talk to their lawyer.)
 * A journal left by a crash is replayed first at the next start; ids make the replay idempotent.
 */
export class SessionLogWriter {
  private readonly getDb: () => Db;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly flushDelayMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxQueued: number;
  private readonly journal: SessionLogJournal | undefined;
  private readonly writeAhead: boolean;
  /** The ticket of the journal's next unread entry: it holds tickets [journalTicket, nextTicket). */
  private journalTicket = 0;
  /** Journal entries from a previous run not yet read back (they may be stored already). */
  private previousRun = 0;
  /** Events read back from the journal and not yet stored. */
  private journalInQueue = 0;

  private readonly queue: Queued[] = [];
  private readonly listeners = new Set<PersistedListener>();
  private readonly waiters: { ticket: number; resolve: () => void }[] = [];
  private nextTicket = 0;
  /** Every ticket below this is stored (or rejected). */
  private doneBelow = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly counters = { persisted: 0, failedWrites: 0, rejected: 0, overflowed: 0 };

  constructor(options: SessionLogWriterOptions) {
    const { db } = options;
    this.getDb = typeof db === 'function' ? db : () => db;
    this.logger = options.logger;
    this.batchSize = options.batchSize ?? 200;
    this.flushDelayMs = options.flushDelayMs ?? 20;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
    this.maxQueued = Math.max(1, options.maxQueued ?? 10_000);
    if (options.journalPath) {
      this.journal = new SessionLogJournal(options.journalPath);
      // What a previous run journaled and may not have stored comes first, in its order.
      this.previousRun = this.journal.pending;
      this.nextTicket = this.journal.pending;
      if (this.previousRun > 0) {
        this.logger.warn(
          { events: this.previousRun, path: options.journalPath },
          'replaying the session log journal',
        );
        this.schedule(0);
      }
    }
    this.writeAhead = !!options.writeAhead && !!this.journal;
  }

  /**
   * Queues an event; `occurredAt` defaults to now (the time of recording, not of writing). Returns
   * false, and logs, when the event is not in the session log's vocabulary or the writer is closed.
   * Never throws.
   */
  record(event: NewSessionEvent): boolean {
    try {
      if (this.closed) {
        this.logger.error({ type: event.type, consultationId: event.consultationId }, 'session log closed');
        return false;
      }
      const normalized = normalizeSessionEvent(event);
      const queued = { event: { ...normalized, id: event.id ?? randomUUID() }, ticket: this.nextTicket };
      if (this.writeAhead || (this.journal?.pending ?? 0) > 0 || this.queue.length >= this.maxQueued) {
        if (!this.journal) {
          this.counters.overflowed++;
          this.logger.error(
            { type: event.type, consultationId: event.consultationId, queued: this.queue.length },
            'session log queue full and no journal: event not recorded',
          );
          return false;
        }
        if (this.journal.pending === 0) {
          this.journalTicket = queued.ticket;
          if (!this.writeAhead)
            this.logger.warn(
              { queued: this.queue.length, path: this.journal.path },
              'session log queue full; journaling to disk',
            );
        }
        this.journal.append(queued);
      } else this.queue.push(queued);
      this.nextTicket++;
      this.schedule(this.flushDelayMs);
      return true;
    } catch (err) {
      this.logger.error(
        { err, type: event?.type, consultationId: event?.consultationId },
        'event not recorded',
      );
      return false;
    }
  }

  /** Subscribes to stored events; returns the unsubscribe function. */
  onPersisted(listener: PersistedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every event recorded before the call is stored, however many retries it takes. */
  flush(): Promise<void> {
    const ticket = this.nextTicket;
    if (this.doneBelow >= ticket) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ ticket, resolve }));
    this.schedule(0);
    return done;
  }

  /** Refuses new events and drains the queue. Idempotent. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.flush();
    return this.closing;
  }

  stats(): SessionLogWriterStats {
    return { queued: this.queue.length, journaled: this.journal?.pending ?? 0, ...this.counters };
  }

  /** Moves journaled events, oldest first, into the queue as far as the cap allows. */
  private refill(): void {
    const journal = this.journal;
    if (!journal || journal.pending === 0 || this.queue.length >= this.maxQueued) return;
    for (const entry of journal.read(this.maxQueued - this.queue.length)) {
      const maybeStored = this.previousRun > 0;
      if (maybeStored) this.previousRun--;
      this.queue.push({ event: entry.event, ticket: this.journalTicket++, fromJournal: true, maybeStored });
      this.journalInQueue++;
    }
  }

  private get hasWork(): boolean {
    return this.queue.length > 0 || (this.journal?.pending ?? 0) > 0;
  }

  private schedule(delayMs: number): void {
    if (this.draining) return;
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A drain that fails unexpectedly must not become an unhandled rejection (it would end the
      // process and every call on it): log it and try again after the retry delay.
      this.draining ??= this.drain()
        .then(
          () => 0,
          (err: unknown) => {
            this.logger.error({ err }, 'session log write failed; retrying');
            return this.retryDelayMs;
          },
        )
        .then((delay) => {
          this.draining = undefined;
          if (this.hasWork) this.schedule(delay);
        });
    }, delayMs);
  }

  private async drain(): Promise<void> {
    let failures = 0;
    this.refill();
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.batchSize);
      try {
        const stored = await this.write(
          batch.map((q) => q.event),
          failures > 0 || batch.some((q) => q.maybeStored),
        );
        this.done(batch, stored);
        failures = 0;
      } catch (err) {
        if (isPermanent(err)) {
          await this.isolateRefused(batch, err);
          continue;
        }
        failures++;
        this.counters.failedWrites++;
        const delay = Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** (failures - 1));
        this.logger.warn(
          { err, queued: this.queue.length, failures, retryInMs: delay },
          'session log write failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * Writes a batch in one transaction. After a failure the outcome of the previous attempt is
   * unknown, so events whose ids are already stored are skipped (the batch was one transaction:
   * all of it landed or none did).
   */
  private async write(
    events: (SessionEventInput & { id: string })[],
    afterFailure: boolean,
  ): Promise<ChainedSessionEvent[]> {
    const db = this.getDb();
    let pending = events;
    if (afterFailure) {
      const stored = await db.sessionEvent.findMany({
        where: { id: { in: events.map((e) => e.id) } },
        select: { id: true },
      });
      const storedIds = new Set(stored.map((row) => row.id));
      pending = events.filter((e) => !storedIds.has(e.id));
    }
    if (pending.length === 0) return [];
    return db.$transaction((tx) => appendSessionEvents(tx, pending), { maxWait: 10_000, timeout: 20_000 });
  }

  /**
   * The database refused the batch's data. Write each consultation's events on their own so one
   * bad consultation (deleted, say) does not hold up the others; log and drop what is refused.
   */
  private async isolateRefused(batch: Queued[], err: unknown): Promise<void> {
    const groups = new Map<string, Queued[]>();
    for (const q of batch)
      groups.set(q.event.consultationId, [...(groups.get(q.event.consultationId) ?? []), q]);
    if (groups.size === 1) {
      this.counters.rejected += batch.length;
      this.logger.error(
        { err, consultationId: batch[0]!.event.consultationId, events: batch.length },
        'session events refused by the database; dropped',
      );
      this.done(batch, []);
      return;
    }
    // Retry the head consultation alone; the loop picks up the rest next.
    const [first] = groups.values();
    try {
      this.done(
        first!,
        await this.write(
          first!.map((q) => q.event),
          true,
        ),
      );
    } catch (groupErr) {
      if (!isPermanent(groupErr)) throw groupErr;
      this.counters.rejected += first!.length;
      this.logger.error(
        { err: groupErr, consultationId: first![0]!.event.consultationId, events: first!.length },
        'session events refused by the database; dropped',
      );
      this.done(first!, []);
    }
  }

  /** Removes written (or refused) events from the queue, wakes flush() callers, tells listeners. */
  private done(batch: Queued[], stored: ChainedSessionEvent[]): void {
    const finished = new Set(batch);
    for (let i = this.queue.length - 1; i >= 0; i--)
      if (finished.has(this.queue[i]!)) this.queue.splice(i, 1);
    this.counters.persisted += stored.length;
    this.journalInQueue -= batch.filter((q) => q.fromJournal).length;
    // Read back in order; the file goes once everything in it is stored (a crash before that replays it).
    this.refill();
    if (this.journal && this.journalInQueue === 0) this.journal.clearIfDrained();
    this.doneBelow =
      this.queue[0]?.ticket ?? ((this.journal?.pending ?? 0) > 0 ? this.journalTicket : this.nextTicket);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.ticket <= this.doneBelow) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
    if (stored.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(stored);
      } catch (err) {
        this.logger.error({ err }, 'session log listener failed');
      }
    }
  }
}
