import type { ConsultationRecord } from '@parley/shared';
import type { StaffT } from './describeEvent.ts';

/**
 * What a consultation's card says when its log shows no call: whether one is still to come, is
 * open now, or did not happen, and why. `now` is passed in so that the decision is testable;
 * `when` formats an instant in the facility's zone; `t` is the staff namespace's.
 */
export function noCallText(
  c: Pick<ConsultationRecord, 'status' | 'startsAt' | 'endsAt'>,
  now: Date,
  when: (iso: string) => string,
  t: StaffT,
): string {
  const startsAt = new Date(c.startsAt);
  const endsAt = new Date(c.endsAt);
  switch (c.status) {
    case 'REQUESTED':
      if (now < startsAt) return t('noCall.requested', { when: when(c.startsAt) });
      return t('noCall.neverConfirmed');
    case 'SCHEDULED':
      if (now < startsAt) return t('noCall.scheduled', { when: when(c.startsAt) });
      if (now < endsAt) return t('noCall.openNow');
      return t('noCall.nobodyJoined');
    case 'IN_PROGRESS':
      return t('noCall.openNow');
    case 'CANCELLED':
      return t('noCall.cancelled');
    case 'NO_SHOW':
      return t('noCall.noShow');
    case 'COMPLETED':
      return t('noCall.didNotTakePlace');
  }
}
