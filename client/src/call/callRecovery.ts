/** The code a request gets when the server's acknowledgement never came (not one of ErrorCode). */
export const NO_ANSWER = 'NO_ANSWER';

/**
 * How long the page waits for the answer to a join or a media restart. The server gives up on such
 * a step after 15 s (TIMEOUT, server/src/calls/callSignaling.ts STEP_TIMEOUT_MS), so its refusal
 * normally arrives first.
 */
export const STEP_ANSWER_TIMEOUT_MS = 20_000;

/**
 * What the page does after a join or a media restart went wrong:
 * - `ended`: the call is over.
 * - `failed`: nothing the page can do will help (shown to the person).
 * - `retry`: the same request again shortly (a join with a fresh ticket).
 * - `newConnection`: start over on a new signalling connection, which joins afresh. For a join whose
 *   outcome is unknown (no answer, or the server says this connection joined already) and for a
 *   media restart whose place is gone.
 */
export type RecoveryStep = 'ended' | 'failed' | 'retry' | 'newConnection';

/** Errors of a moment: the server, the network or a ticket that ran out. */
const TRANSIENT = new Set(['TOKEN_EXPIRED', 'TOKEN_INVALID', 'RATE_LIMITED', 'INTERNAL', 'TIMEOUT']);

/** `code` is the error code of the refusal; undefined when the request failed before any answer. */
export function recoveryAfter(request: 'join' | 'restartMedia', code: string | undefined): RecoveryStep {
  if (code === 'CALL_ENDED') return 'ended';
  if (code === undefined || TRANSIENT.has(code)) return 'retry';
  if (request === 'join') return code === NO_ANSWER || code === 'CONFLICT' ? 'newConnection' : 'failed';
  // A media restart: the server may still be making the offer, or could not; ask again.
  if (code === NO_ANSWER || code === 'MEDIA_FAILED') return 'retry';
  // This connection holds no place any more (the grace period ran out): join again.
  if (code === 'NOT_IN_CONSULTATION') return 'newConnection';
  return 'failed';
}
