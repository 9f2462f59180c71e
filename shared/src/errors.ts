/**
 * Stable error codes. Every error the API or the socket returns carries one of these, so clients
 * can show a precise, translated message and tests can assert the exact refusal.
 */
export const ErrorCode = {
  // Request shape
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  MALFORMED_JSON: 'MALFORMED_JSON',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The body could not be read as sent: a broken gzip/deflate stream or a truncated upload. */
  MALFORMED_BODY: 'MALFORMED_BODY',
  /** A Content-Encoding or charset the API does not read (it reads identity, gzip, deflate, br; UTF-8). */
  UNSUPPORTED_ENCODING: 'UNSUPPORTED_ENCODING',
  /** A body in a Content-Type the route does not take (the JSON routes take application/json). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** The address has bad percent-encoding (e.g. /api/clients/%ZZ). */
  MALFORMED_URI: 'MALFORMED_URI',
  NOT_FOUND: 'NOT_FOUND',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  CONFLICT: 'CONFLICT',
  // Authentication and authorisation
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  TOKEN_INVALID: 'TOKEN_INVALID',
  REFRESH_TOKEN_INVALID: 'REFRESH_TOKEN_INVALID',
  FORBIDDEN_ROLE: 'FORBIDDEN_ROLE',
  NOT_IN_ORGANIZATION: 'NOT_IN_ORGANIZATION',
  NOT_IN_CONSULTATION: 'NOT_IN_CONSULTATION',
  RATE_LIMITED: 'RATE_LIMITED',
  /** Every session of this user was ended (deactivated, password changed, a stolen token replayed). */
  SESSION_REVOKED: 'SESSION_REVOKED',
  /** Too many failed attempts at this account: refused until a time (Retry-After) or an admin unlocks it. */
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  // Data rules
  A_NUMBER_TAKEN: 'A_NUMBER_TAKEN',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  // Scheduling
  OUTSIDE_VISITING_HOURS: 'OUTSIDE_VISITING_HOURS',
  LEAD_TIME_TOO_SHORT: 'LEAD_TIME_TOO_SHORT',
  CALL_TOO_LONG: 'CALL_TOO_LONG',
  BOOTH_UNAVAILABLE: 'BOOTH_UNAVAILABLE',
  ATTORNEY_DOUBLE_BOOKED: 'ATTORNEY_DOUBLE_BOOKED',
  INTERPRETER_DOUBLE_BOOKED: 'INTERPRETER_DOUBLE_BOOKED',
  CLIENT_DOUBLE_BOOKED: 'CLIENT_DOUBLE_BOOKED',
  DAILY_LIMIT_REACHED: 'DAILY_LIMIT_REACHED',
  FACILITY_BLACKOUT: 'FACILITY_BLACKOUT',
  INTERPRETER_LANGUAGE_MISMATCH: 'INTERPRETER_LANGUAGE_MISMATCH',
  INTERPRETER_UNAVAILABLE: 'INTERPRETER_UNAVAILABLE',
  CONSULTATION_NOT_EDITABLE: 'CONSULTATION_NOT_EDITABLE',
  ATTORNEY_NOT_ON_CASE: 'ATTORNEY_NOT_ON_CASE',
  CASE_CLOSED: 'CASE_CLOSED',
  /** A transfer to the facility the client is already at. */
  CLIENT_ALREADY_AT_FACILITY: 'CLIENT_ALREADY_AT_FACILITY',
  /** A case note sent before the call is over (it is sent once, when there is something to say). */
  CASE_NOTE_NOT_READY: 'CASE_NOTE_NOT_READY',
  /** Further ahead than the organisation books (Organization.bookingHorizonDays, a year by default). */
  BOOKING_TOO_FAR_AHEAD: 'BOOKING_TOO_FAR_AHEAD',
  /** The facility's confirmation link is unknown, for another booking, or replaced by a newer one. */
  CONFIRMATION_LINK_INVALID: 'CONFIRMATION_LINK_INVALID',
  /** The facility's confirmation link is past its expiry: staff can send a new one. */
  CONFIRMATION_LINK_EXPIRED: 'CONFIRMATION_LINK_EXPIRED',
  /** The facility already answered this request differently; a second, conflicting answer is refused. */
  CONFIRMATION_ALREADY_ANSWERED: 'CONFIRMATION_ALREADY_ANSWERED',
  /** Only a REQUESTED call waits for the facility's confirmation. */
  CONFIRMATION_NOT_PENDING: 'CONFIRMATION_NOT_PENDING',
  // Calls
  /** The facility has not confirmed this call yet: it is not on the kiosk and cannot be joined. */
  CALL_NOT_CONFIRMED: 'CALL_NOT_CONFIRMED',
  CALL_NOT_OPEN: 'CALL_NOT_OPEN',
  CALL_ENDED: 'CALL_ENDED',
  MEDIA_FAILED: 'MEDIA_FAILED',
  /** The kiosk: those are not the last three digits of this call's client's A-Number. */
  KIOSK_DIGITS_WRONG: 'KIOSK_DIGITS_WRONG',
  /** A recorded kiosk prompt that is not an audio file of an accepted type. */
  PROMPT_FILE_INVALID: 'PROMPT_FILE_INVALID',
  /** A step the server waits on (the database, the media engine's offer) took too long; try again. */
  TIMEOUT: 'TIMEOUT',
  // Case records, session logs and exports
  NOT_ASSIGNED_TO_CASE: 'NOT_ASSIGNED_TO_CASE',
  WEBHOOK_NOT_CONFIGURED: 'WEBHOOK_NOT_CONFIGURED',
  /** The webhook URL would reach an internal address, carries credentials, or is not https. */
  WEBHOOK_URL_NOT_ALLOWED: 'WEBHOOK_URL_NOT_ALLOWED',
  // Admin area: people, invites, password resets, the webhook's delivery log
  /** The invite link is unknown, used, revoked or expired: ask for a new one. */
  INVITE_INVALID: 'INVITE_INVALID',
  /** The password-reset link is unknown, used or expired: ask for a new one. */
  RESET_LINK_INVALID: 'RESET_LINK_INVALID',
  /** An attorney needs a bar number and state; an interpreter at least one language. */
  PROFILE_INCOMPLETE: 'PROFILE_INCOMPLETE',
  /** An administrator cannot deactivate, demote or reset themselves from the people screen. */
  OWN_ACCOUNT: 'OWN_ACCOUNT',
  /** Only a FAILED webhook delivery can be retried. */
  DELIVERY_NOT_RETRYABLE: 'DELIVERY_NOT_RETRYABLE',
  // Anything we did not foresee
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The body of every error response and every failed socket acknowledgement. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Field-level problems for VALIDATION_FAILED: path → message. */
    details?: { path: string; message: string }[];
  };
}
