import type { Logger } from '../logger.ts';
import type { FacilityConfirmations } from './FacilityConfirmations.ts';

/** How often each server process looks for unanswered requests due a reminder. */
export const REMINDER_SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * Runs `sweepReminders` every `intervalMs` (the first run after one interval). A run never overlaps
 * the previous one; a failed run is logged and the next one tries again. Returns a stop function
 * that clears the timer and waits for a run in progress.
 */
export function startConfirmationReminderJob(
  confirmations: FacilityConfirmations,
  logger: Logger,
  intervalMs = REMINDER_SWEEP_INTERVAL_MS,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = confirmations
      .sweepReminders()
      .then(
        () => undefined,
        (err: unknown) => logger.error({ err }, 'confirmation reminder sweep failed'),
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
