import type { Server } from 'socket.io';
import { CALL_TOKEN_TTL_SECONDS, type CallClaims } from '../calls/callTokens.ts';
import type { UserSessions } from './UserSessions.ts';

/**
 * A call ticket of a signed-in person (not the kiosk's client) joins only while that person's
 * sessions are current: a ticket issued before a deactivation, password change or replayed refresh
 * token is refused with SESSION_REVOKED. Tickets carry their expiry; they are issued
 * CALL_TOKEN_TTL_SECONDS before it.
 */
export async function admitCallTicket(sessions: UserSessions, claims: CallClaims): Promise<void> {
  if (claims.role === 'CLIENT') return;
  await sessions.assertCallTicket(claims.participantId, claims.expiresAt - CALL_TOKEN_TTL_SECONDS * 1000);
}

/** The part of a call socket's data this module reads. */
interface SeatedSocketData {
  seat?: { participantId: string } | undefined;
}

/**
 * Closes every call socket the user holds on this node when their sessions end. The call treats it
 * as a dropped connection, and a rejoin needs a new ticket, which a revoked session cannot get.
 * Returns the unsubscribe function.
 */
export function disconnectRevokedCallSockets(
  sessions: UserSessions,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any event maps: only data is read
  io: Server<any, any, any, SeatedSocketData>,
): () => void {
  return sessions.onRevoked((userId) => {
    for (const socket of io.of('/call').sockets.values()) {
      if (socket.data.seat?.participantId === userId) socket.disconnect(true);
    }
  });
}
