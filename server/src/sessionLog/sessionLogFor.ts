import type { AppContext } from '../AppContext.ts';
import type { Db } from '../db/types.ts';
import { CaseNoteWebhook } from '../webhooks/CaseNoteWebhook.ts';
import { WebhookRepository } from '../webhooks/WebhookRepository.ts';
import { WebhookSender, type WebhookSenderOptions } from '../webhooks/WebhookSender.ts';
import { attestationKeyOf } from './attestationKey.ts';
import { CallAttester } from './CallAttester.ts';
import { SessionLogWriter, type SessionLogWriterOptions } from './SessionLogWriter.ts';

/** The session log of a running server: the writer the call records into, and what follows a call's end. */
export interface SessionLog {
  writer: SessionLogWriter;
  webhooks: WebhookSender;
  /** Resolves when stored CALL_ENDED events have been turned into webhook deliveries and sent. */
  idle(): Promise<void>;
  /** Drains the writer, then stops webhook retries (PENDING deliveries resume at next start). */
  close(): Promise<void>;
}

export interface SessionLogOptions {
  writer?: Omit<SessionLogWriterOptions, 'db' | 'logger'>;
  webhooks?: Omit<WebhookSenderOptions, 'db' | 'logger'>;
}

const logs = new WeakMap<Db, SessionLog>();
/** Without the server's configuration, a key generated for this process (tests of the log alone). */
const NO_CONFIG = {};

/**
 * The one SessionLog per database handle, created on first use. The call's signalling records
 * through `sessionLogFor(ctx).writer.record(…)`; options count only on the first call.
 */
export function sessionLogFor(
  ctx: Pick<AppContext, 'db' | 'logger'> & Partial<Pick<AppContext, 'config'>>,
  options: SessionLogOptions = {},
): SessionLog {
  const existing = logs.get(ctx.db);
  if (existing) return existing;

  const logger = ctx.logger.child({ component: 'session-log' });
  const writer = new SessionLogWriter({
    db: ctx.db,
    logger,
    // A long outage spills to disk past the memory cap (see SessionLogWriter); with several nodes
    // every event is on disk before it counts as recorded, so a node killed mid-call loses none.
    ...(ctx.config
      ? { journalPath: ctx.config.sessionLogJournalPath, writeAhead: !!ctx.config.cluster.redisUrl }
      : {}),
    ...options.writer,
  });
  const webhooks = new WebhookSender({
    db: ctx.db,
    logger: ctx.logger.child({ component: 'webhooks' }),
    // Without the server's config the sender keeps its strict default: https, public addresses.
    policy: ctx.config?.webhooks,
    ...options.webhooks,
  });
  const caseNotes = new CaseNoteWebhook(ctx.db, webhooks, logger, ctx.config?.publicUrl);
  const attester = new CallAttester(ctx.db, () => attestationKeyOf(ctx.config ?? NO_CONFIG), logger);
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    const tracked = work.catch((err: unknown) => logger.error({ err }, 'case note webhook not queued'));
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };

  writer.onPersisted((events) => {
    for (const event of events) {
      if (event.type === 'CALL_ENDED') {
        // Sign the call's record first, so the case note carries it.
        const { organizationId, consultationId } = event;
        track(
          attester
            .attest(organizationId, consultationId)
            .catch((err: unknown) => {
              logger.error({ err, consultationId }, 'call not attested');
              return null;
            })
            .then((attestation) => caseNotes.consultationEnded(organizationId, consultationId, attestation)),
        );
      }
    }
  });
  // Deliveries left PENDING by a previous run (a restart mid-retry) are picked up again.
  track(
    new WebhookRepository(ctx.db).pendingIds().then((ids) => {
      for (const id of ids) webhooks.send(id);
    }),
  );

  const log: SessionLog = {
    writer,
    webhooks,
    async idle() {
      await writer.flush();
      while (pending.size > 0) await Promise.all([...pending]);
      await webhooks.idle();
    },
    async close() {
      await writer.close();
      while (pending.size > 0) await Promise.all([...pending]);
      webhooks.close();
    },
  };
  logs.set(ctx.db, log);
  return log;
}
