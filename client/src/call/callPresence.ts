import type { CallParticipantView, CallRole } from '@parley/shared';

/** Who the call is waiting for: the roles expected but not in it, and those whose connection dropped. */
export interface CallPresence {
  missing: CallRole[];
  reconnecting: CallRole[];
}

/**
 * `expected` are the roles the consultation was booked with (an attorney, the client, and an
 * interpreter when one is assigned). A role counts as there while anyone in it is connecting,
 * connected or reconnecting; one that has left, or never came, is missing.
 */
export function callPresence(
  expected: readonly CallRole[],
  participants: readonly CallParticipantView[],
): CallPresence {
  const statusOf = (role: CallRole) =>
    participants.filter((p) => p.role === role && p.status !== 'left').map((p) => p.status);
  const missing: CallRole[] = [];
  const reconnecting: CallRole[] = [];
  for (const role of expected) {
    const statuses = statusOf(role);
    if (statuses.length === 0) missing.push(role);
    else if (statuses.every((s) => s === 'reconnecting')) reconnecting.push(role);
  }
  return { missing, reconnecting };
}
