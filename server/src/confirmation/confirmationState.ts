import type { FacilityConfirmationState } from '@parley/shared';

/** A stored request as the rules need it. */
export interface ConfirmationRow {
  id: string;
  consultationId: string;
  sentTo: string;
  createdAt: Date;
  expiresAt: Date;
  remindersSent: number;
  lastSentAt: Date;
  answer: 'CONFIRMED' | 'DECLINED' | 'PROPOSED' | null;
  answeredAt: Date | null;
  answeredById: string | null;
  declineReason: string | null;
  proposedStartsAt: Date | null;
  supersededAt: Date | null;
}

/** How long the facility has to answer at most; never past the call's start. */
export const CONFIRMATION_LINK_TTL_MS = 7 * 24 * 3_600_000;
/** An unanswered request is mailed again after this long, at most MAX_REMINDERS times. */
export const REMINDER_AFTER_MS = 24 * 3_600_000;
export const MAX_REMINDERS = 3;

/** When a request made at `now` about a call starting at `startsAt` stops taking answers. */
export function confirmationExpiry(now: Date, startsAt: Date): Date {
  const cap = now.getTime() + CONFIRMATION_LINK_TTL_MS;
  // A call booked for soon still gives the facility a minute to answer (expiry after creation).
  return new Date(Math.max(now.getTime() + 60_000, Math.min(cap, startsAt.getTime())));
}

/** What staff see of a request. */
export function confirmationState(
  row: ConfirmationRow,
  now: Date,
  showReason: boolean,
): FacilityConfirmationState {
  const state =
    row.answer === 'CONFIRMED'
      ? 'CONFIRMED'
      : row.answer === 'DECLINED'
        ? 'DECLINED'
        : row.answer === 'PROPOSED'
          ? 'PROPOSED'
          : now.getTime() >= row.expiresAt.getTime()
            ? 'EXPIRED'
            : 'PENDING';
  return {
    state,
    sentTo: row.sentTo,
    requestedAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    remindersSent: row.remindersSent,
    answeredAt: row.answeredAt?.toISOString() ?? null,
    declineReason: showReason ? row.declineReason : null,
    proposedStartsAt: row.proposedStartsAt?.toISOString() ?? null,
    recordedByStaff: row.answeredById !== null,
  };
}

export type AnswerKind = 'CONFIRM' | 'DECLINE' | 'PROPOSE';

/**
 * Decides what an answer through the link does to a request: `apply` it, accept it as a `repeat`
 * of the answer already given (nothing changes), or refuse it with the reason. Pure.
 */
export function judgeAnswer(
  row: Pick<ConfirmationRow, 'answer' | 'expiresAt' | 'supersededAt' | 'proposedStartsAt'>,
  answer: { kind: AnswerKind; proposedStartsAt?: Date },
  now: Date,
): 'apply' | 'repeat' | 'superseded' | 'expired' | 'conflict' {
  if (row.supersededAt) return 'superseded';
  if (row.answer !== null) {
    const same =
      (row.answer === 'CONFIRMED' && answer.kind === 'CONFIRM') ||
      (row.answer === 'DECLINED' && answer.kind === 'DECLINE') ||
      (row.answer === 'PROPOSED' &&
        answer.kind === 'PROPOSE' &&
        row.proposedStartsAt?.getTime() === answer.proposedStartsAt?.getTime());
    return same ? 'repeat' : 'conflict';
  }
  if (now.getTime() >= row.expiresAt.getTime()) return 'expired';
  return 'apply';
}

/** True when an unanswered request is due a reminder at `now`. */
export function reminderDue(
  row: Pick<
    ConfirmationRow,
    'answer' | 'supersededAt' | 'expiresAt' | 'lastSentAt' | 'remindersSent' | 'sentTo'
  >,
  now: Date,
): boolean {
  return (
    row.answer === null &&
    row.supersededAt === null &&
    row.sentTo !== '' &&
    row.remindersSent < MAX_REMINDERS &&
    now.getTime() < row.expiresAt.getTime() &&
    now.getTime() - row.lastSentAt.getTime() >= REMINDER_AFTER_MS
  );
}
