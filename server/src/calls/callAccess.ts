import { ErrorCode, type CallRole, type Role } from '@parley/shared';
import { AppError, ForbiddenError } from '../http/AppError.ts';
import type { CallConsultation } from './CallAccessRepository.ts';

/** Participants may open the call this long before its start, to test their sound. */
export const EARLY_JOIN_MS = 15 * 60 * 1000;

export type CallRequester =
  | { kind: 'user'; userId: string; organizationId: string; role: Role; name: string }
  | { kind: 'kiosk'; deviceId: string; facilityId: string; organizationId: string };

export interface CallSeat {
  participantId: string;
  role: CallRole;
  displayName: string;
}

/**
 * Decides whether `who` may join `consultation` now, and as what. Pure: the rules in one place,
 * tested without a database. The consultation must already be known to be in the caller's
 * organisation (repositories scope by organisation).
 */
export function decideCallSeat(consultation: CallConsultation, who: CallRequester, now: Date): CallSeat {
  if (who.organizationId !== consultation.organizationId) {
    throw new ForbiddenError(ErrorCode.NOT_IN_ORGANIZATION, 'This call belongs to another organisation');
  }
  const seat = seatFor(consultation, who);
  if (
    consultation.status === 'COMPLETED' ||
    consultation.status === 'CANCELLED' ||
    consultation.status === 'NO_SHOW'
  ) {
    throw new AppError(
      ErrorCode.CALL_ENDED,
      `This call is ${consultation.status.toLowerCase().replace('_', '-')}`,
      409,
    );
  }
  if (consultation.status === 'REQUESTED') {
    // Not on the kiosk and not joinable until the facility confirms it (it may have no booth then).
    throw new AppError(ErrorCode.CALL_NOT_CONFIRMED, 'The facility has not confirmed this call yet', 409);
  }
  if (now.getTime() < consultation.startsAt.getTime() - EARLY_JOIN_MS) {
    throw new AppError(ErrorCode.CALL_NOT_OPEN, 'This call opens 15 minutes before its start time', 409);
  }
  if (now.getTime() >= consultation.endsAt.getTime()) {
    throw new AppError(ErrorCode.CALL_ENDED, 'This call’s time is over', 409);
  }
  return seat;
}

function seatFor(consultation: CallConsultation, who: CallRequester): CallSeat {
  if (who.kind === 'kiosk') {
    if (who.facilityId !== consultation.facilityId) {
      throw new ForbiddenError(ErrorCode.NOT_IN_CONSULTATION, 'This call is at another facility');
    }
    // The kiosk joins as the client; one client seat per consultation.
    return {
      participantId: `client:${consultation.id}`,
      role: 'CLIENT',
      displayName: `${consultation.client.firstName} ${consultation.client.lastName}`,
    };
  }
  if (who.role === 'ATTORNEY' && who.userId === consultation.attorneyId) {
    return { participantId: who.userId, role: 'ATTORNEY', displayName: who.name };
  }
  if (
    who.role === 'INTERPRETER' &&
    (who.userId === consultation.interpreterId ||
      consultation.furtherInterpreters.some((i) => i.interpreterId === who.userId))
  ) {
    return { participantId: who.userId, role: 'INTERPRETER', displayName: who.name };
  }
  if (who.role === 'ADMIN' || who.role === 'STAFF') {
    return { participantId: who.userId, role: 'STAFF', displayName: who.name };
  }
  throw new ForbiddenError(ErrorCode.NOT_IN_CONSULTATION, 'You are not a participant of this call');
}

/** Initials only: what a kiosk in a shared visiting room may show about a person. */
export function initials(firstName: string, lastName: string): string {
  const first = (name: string) => Array.from(name.trim())[0]?.toLocaleUpperCase() ?? '';
  return `${first(firstName)}. ${first(lastName)}.`;
}
