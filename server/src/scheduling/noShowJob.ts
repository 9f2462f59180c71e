import type { Db } from '../db/types.ts';
import type { Logger } from '../logger.ts';
import { appendSessionEvent } from '../sessionLog/appendSessionEvent.ts';
import { SessionEventType } from './BookingService.ts';
import { SchedulingRepository } from './SchedulingRepository.ts';

const MINUTE = 60_000;
/** How long after a call's end a client who never appeared makes it a no-show. */
export const NO_SHOW_GRACE_MINUTES = 15;
/** How often each server process sweeps for no-shows. */
export const NO_SHOW_SWEEP_INTERVAL_MS = MINUTE;
/** Candidates read per round; a sweep keeps going until a round comes back short. */
const BATCH = 200;
const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

/**
 * Marks SCHEDULED calls whose window ended more than the grace period ago, with no sign of the
 * client, as NO_SHOW, across every organisation. Each call changes in its own transaction under the
 * same advisory lock bookings take on the consultation, with a conditional UPDATE that re-checks
 * every condition inside the lock, and the session-log event written in that transaction: two
 * processes sweeping at once, or a sweep racing a reschedule or the client joining, mark a call at
 * most once and log it once.
 * Returns how many calls this run marked.
 */
export async function sweepNoShows(db: Db, logger: Logger, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - NO_SHOW_GRACE_MINUTES * MINUTE);
  const repo = new SchedulingRepository(db);
  let marked = 0;
  let afterId: string | undefined;
  for (;;) {
    const candidates = await repo.noShowCandidates(cutoff, BATCH, afterId);
    for (const candidate of candidates) {
      const changed = await db.$transaction(async (tx) => {
        const locked = new SchedulingRepository(tx);
        await locked.lock([`consultation:${candidate.id}`]);
        if (!(await locked.markNoShowIfStill(candidate.id, cutoff))) return false;
        const current = await locked.findForEdit(candidate.organizationId, candidate.id);
        if (!current) return false;
        await appendSessionEvent(tx, {
          organizationId: candidate.organizationId,
          consultationId: candidate.id,
          type: SessionEventType.NO_SHOW,
          actorUserId: null,
          actorRole: null,
          occurredAt: now,
          payload: { startsAt: current.startsAt.toISOString(), endsAt: current.endsAt.toISOString() },
        });
        return true;
      }, TX_OPTIONS);
      if (changed) marked++;
    }
    if (candidates.length < BATCH) break;
    afterId = candidates[candidates.length - 1]?.id;
  }
  if (marked > 0) logger.info({ marked }, 'consultations marked no-show');
  return marked;
}

/**
 * Runs `sweepNoShows` every `intervalMs` in this process (the first run after one interval). A run
 * never overlaps the previous one; a failed run is logged and the next one tries again. Returns a
 * stop function that clears the timer and waits for a run in progress.
 */
export function startNoShowJob(
  db: Db,
  logger: Logger,
  intervalMs = NO_SHOW_SWEEP_INTERVAL_MS,
  clock: () => Date = () => new Date(),
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = sweepNoShows(db, logger, clock())
      .then(
        () => undefined,
        (err: unknown) => logger.error({ err }, 'no-show sweep failed'),
      )
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
