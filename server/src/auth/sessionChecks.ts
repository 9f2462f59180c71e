import type { SessionState } from './SessionStateCache.ts';

/** Why a credential issued earlier no longer counts. */
export type SessionRefusal = 'NO_SUCH_USER' | 'DEACTIVATED' | 'REVOKED';

/**
 * Whether an access token issued under `tokenVersion` still counts. Pure. A token from a newer
 * version than the database knows (a restored backup, a forged secret) is refused too.
 */
export function accessTokenRefusal(state: SessionState | null, tokenVersion: number): SessionRefusal | null {
  if (!state) return 'NO_SUCH_USER';
  if (!state.active) return 'DEACTIVATED';
  if (tokenVersion !== state.version) return 'REVOKED';
  return null;
}

/**
 * Whether a call ticket issued at `issuedAtMs` still counts. Tickets carry whole seconds, so one
 * issued in the same second as a revocation is refused too: its holder asks for a new one.
 */
export function callTicketRefusal(state: SessionState | null, issuedAtMs: number): SessionRefusal | null {
  if (!state) return 'NO_SUCH_USER';
  if (!state.active) return 'DEACTIVATED';
  if (state.revokedAt && issuedAtMs <= state.revokedAt.getTime()) return 'REVOKED';
  return null;
}
