import { ErrorCode, type CallRole, type ClientToServerEvents } from '@parley/shared';
import { AppError, ForbiddenError } from '../http/AppError.ts';
import type { LiveCall } from './LiveCall.ts';

/**
 * Who may ask a live call for each of its actions: the one table the socket gateway
 * (callSignaling.ts) and the phone keypad (phone/PhoneKeypad.ts) both check, so a browser's
 * button and a phone's key are allowed and refused by the same rule. What each action then does
 * — and refuses — is the LiveCall's own (sidebar, desk and pause-request rules, their rate limits).
 */
export const CALL_ACTION_ROLES = {
  setInterpretation: ['INTERPRETER'],
  setSidebar: ['ATTORNEY'],
  pleasePause: ['INTERPRETER'],
  acknowledgePause: ['ATTORNEY', 'CLIENT'],
  setInterpreterInput: ['INTERPRETER'],
  setInterpreterOutput: ['INTERPRETER'],
  handover: ['INTERPRETER'],
  backChannel: ['INTERPRETER'],
  setOriginalLevel: ['ATTORNEY', 'CLIENT'],
  endCall: ['ATTORNEY', 'STAFF'],
} as const satisfies Partial<Record<keyof ClientToServerEvents, readonly CallRole[]>>;

export type CallAction = keyof typeof CALL_ACTION_ROLES;

/** Whether `role` may ask for `action`. */
export function mayAct(action: CallAction, role: CallRole): boolean {
  return (CALL_ACTION_ROLES[action] as readonly CallRole[]).includes(role);
}

/** Refuses a role that is not among `roles` (FORBIDDEN_ROLE, 403): the refusal every caller gets. */
export function assertRole(role: CallRole, roles: readonly CallRole[]): void {
  if (!roles.includes(role))
    throw new ForbiddenError(
      ErrorCode.FORBIDDEN_ROLE,
      `Only ${roles.join(' or ').toLowerCase()} can do this`,
    );
}

/**
 * The live call a seat acts in, or NOT_IN_CONSULTATION (409) when there is no seat, or its call is
 * gone or over: a socket that has not joined and a phone leg whose call ended are refused alike.
 */
export function seatedIn<S>(
  call: LiveCall | undefined | null,
  seat: S | undefined | null,
): { call: LiveCall; seat: S } {
  if (!seat || !call || call.isEnded)
    throw new AppError(ErrorCode.NOT_IN_CONSULTATION, 'Join the call first', 409);
  return { call, seat };
}
