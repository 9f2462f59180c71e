import type { ErrorCode } from '@parley/shared';

/** What each scheduling refusal means for the person booking, and what to try instead. */
export const REFUSAL_MESSAGES: Partial<Record<ErrorCode, string>> = {
  OUTSIDE_VISITING_HOURS:
    'That time is outside the facility’s visiting hours (in the facility’s own time zone). The whole call must fit inside one visiting window.',
  LEAD_TIME_TOO_SHORT: 'That is too soon: the facility needs more notice before a call. Pick a later day.',
  CALL_TOO_LONG:
    'The call is longer than this facility allows. Shorten it, or book two calls on different days.',
  BOOTH_UNAVAILABLE: 'Every video booth at the facility is already booked at that time. Pick another slot.',
  ATTORNEY_DOUBLE_BOOKED: 'The attorney already has a call at that time.',
  INTERPRETER_DOUBLE_BOOKED:
    'The interpreter already has a call at that time. Choose another interpreter or time.',
  CLIENT_DOUBLE_BOOKED: 'The client already has a call at that time.',
  DAILY_LIMIT_REACHED:
    'This attorney already has as many calls with this client that day as the facility allows. Pick another day.',
  FACILITY_BLACKOUT: 'The facility takes no calls that day (holiday or lockdown).',
  INTERPRETER_LANGUAGE_MISMATCH: 'That interpreter does not interpret the client’s language.',
  INTERPRETER_UNAVAILABLE: 'The interpreter is not available for the whole call.',
  CONSULTATION_NOT_EDITABLE:
    'This consultation has already happened, was cancelled, or is under way: it cannot be changed.',
  ATTORNEY_NOT_ON_CASE: 'That attorney is not assigned to this case.',
  CASE_CLOSED: 'The case is closed.',
  BOOKING_TOO_FAR_AHEAD:
    'That is further ahead than your organisation books calls. Pick an earlier day, or ask an administrator to extend the booking horizon.',
  NOT_FOUND: 'Something in the booking no longer exists. Reload the page and try again.',
  VALIDATION_FAILED: 'Some of the booking details are missing or not valid.',
};

/** The plain-words explanation for a code, falling back to the server's message. */
export function explainRefusal(code: string, fallback: string): string {
  return REFUSAL_MESSAGES[code as ErrorCode] ?? fallback;
}
