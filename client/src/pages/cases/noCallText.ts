import type { ConsultationRecord } from '@parley/shared';

/**
 * What a consultation's card says when its log shows no call: whether one is still to come, is
 * open now, or did not happen, and why. `now` is passed in so that the decision is testable;
 * `when` formats an instant in the facility's zone.
 */
export function noCallText(
  c: Pick<ConsultationRecord, 'status' | 'startsAt' | 'endsAt'>,
  now: Date,
  when: (iso: string) => string,
): string {
  const startsAt = new Date(c.startsAt);
  const endsAt = new Date(c.endsAt);
  switch (c.status) {
    case 'REQUESTED':
      if (now < startsAt) return `Requested for ${when(c.startsAt)}. The facility has not confirmed it yet.`;
      return 'The facility never confirmed the call.';
    case 'SCHEDULED':
      if (now < startsAt) return `Scheduled for ${when(c.startsAt)}. The call has not started yet.`;
      if (now < endsAt) return 'The call is open now; nobody has joined yet.';
      return 'Nobody joined the call.';
    case 'IN_PROGRESS':
      return 'The call is open now; nobody has joined yet.';
    case 'CANCELLED':
      return 'Cancelled: the call did not take place.';
    case 'NO_SHOW':
      return 'No-show: nobody joined the call.';
    case 'COMPLETED':
      return 'The call did not take place.';
  }
}
