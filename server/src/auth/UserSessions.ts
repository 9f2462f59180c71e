import { ErrorCode } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import type { Db } from '../db/types.ts';
import { UnauthenticatedError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import { accessTokenRefusal, callTicketRefusal, type SessionRefusal } from './sessionChecks.ts';
import {
  InProcessSessionStateCache,
  type SessionState,
  type SessionStateCache,
} from './SessionStateCache.ts';
import type { AccessTokenClaims } from './tokens.ts';

/** Why every session of a user was ended. */
export type RevocationReason =
  'DEACTIVATED' | 'PASSWORD_CHANGED' | 'REFRESH_TOKEN_REUSED' | 'SIGNED_OUT_EVERYWHERE';

/** Told, in this process, right after a user's sessions were ended (open call sockets close on it). */
export type RevocationListener = (userId: string, reason: RevocationReason) => void;

const REFUSED_MESSAGE = 'Your session has ended; sign in again';

/**
 * Per-user session versions: every access token carries the version it was issued under, and every
 * authenticated request and call join checks it against the user's row (through a cache that the
 * changes below invalidate synchronously). Deactivation, a password change and a replayed refresh
 * token bump the version, revoke the refresh tokens and tell listeners, so sessions end on the next
 * request instead of when the access token expires.
 */
export class UserSessions {
  private readonly listeners = new Set<RevocationListener>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly cache: SessionStateCache = new InProcessSessionStateCache(),
  ) {}

  /** The user's current session state (cached). */
  state(userId: string): Promise<SessionState | null> {
    return this.cache.get(userId, async () => {
      const row = await this.db.user.findUnique({
        where: { id: userId },
        select: { active: true, sessionVersion: true, sessionsRevokedAt: true },
      });
      return row
        ? { active: row.active, version: row.sessionVersion, revokedAt: row.sessionsRevokedAt }
        : null;
    });
  }

  /** Throws SESSION_REVOKED (401) unless the access token's session is still current. */
  async assertAccessToken(claims: AccessTokenClaims): Promise<void> {
    this.refuseIf(accessTokenRefusal(await this.state(claims.userId), claims.sessionVersion), claims.userId);
  }

  /** Throws SESSION_REVOKED (401) when the user's sessions ended at or after `issuedAtMs`. */
  async assertCallTicket(userId: string, issuedAtMs: number): Promise<void> {
    this.refuseIf(callTicketRefusal(await this.state(userId), issuedAtMs), userId);
  }

  /**
   * Ends every session of the user: bumps the session version, revokes every refresh token,
   * invalidates the cache and tells listeners. Returns false when there is no such user.
   */
  async revoke(userId: string, reason: RevocationReason): Promise<boolean> {
    return this.change(userId, reason, {});
  }

  /** Deactivates the user (of `organizationId`) and ends their sessions. False: no such user there. */
  async deactivate(organizationId: string, userId: string): Promise<boolean> {
    return this.change(userId, 'DEACTIVATED', { active: false }, organizationId);
  }

  /** Lets a deactivated user sign in again; sessions they had stay ended. */
  async reactivate(organizationId: string, userId: string): Promise<boolean> {
    const { count } = await this.db.user.updateMany({
      where: { id: userId, organizationId },
      data: { active: true },
    });
    this.cache.invalidate(userId);
    return count > 0;
  }

  /** Stores a new password hash (argon2, from passwords.ts) and ends every session of the user. */
  async changePassword(userId: string, passwordHash: string): Promise<boolean> {
    return this.change(userId, 'PASSWORD_CHANGED', { passwordHash });
  }

  /**
   * Another node ended the user's sessions (cluster/ClusterNode.ts): forget the cached state and
   * tell this process's listeners (its call sockets close), as if it had happened here. Writes nothing.
   */
  revokedElsewhere(userId: string, reason: RevocationReason): void {
    this.cache.invalidate(userId);
    this.notify(userId, reason);
  }

  /** Subscribes to revocations made in this process; returns the unsubscribe function. */
  onRevoked(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async change(
    userId: string,
    reason: RevocationReason,
    data: { active?: boolean; passwordHash?: string },
    organizationId?: string,
  ): Promise<boolean> {
    const now = new Date();
    const count = await this.db.$transaction(async (tx) => {
      const updated = await tx.user.updateMany({
        where: { id: userId, ...(organizationId ? { organizationId } : {}) },
        data: { ...data, sessionVersion: { increment: 1 }, sessionsRevokedAt: now },
      });
      if (updated.count > 0) {
        await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
      }
      return updated.count;
    });
    // Right after the commit, before anything else can run in this process.
    this.cache.invalidate(userId);
    if (count === 0) return false;
    this.logger.warn({ userId, reason }, 'every session of the user ended');
    this.notify(userId, reason);
    return true;
  }

  private notify(userId: string, reason: RevocationReason): void {
    for (const listener of this.listeners) {
      try {
        listener(userId, reason);
      } catch (err) {
        this.logger.error({ err, userId }, 'session revocation listener failed');
      }
    }
  }

  private refuseIf(refusal: SessionRefusal | null, userId: string): void {
    if (!refusal) return;
    this.logger.debug({ userId, refusal }, 'session refused');
    throw new UnauthenticatedError(ErrorCode.SESSION_REVOKED, REFUSED_MESSAGE);
  }
}

const perDatabase = new WeakMap<Db, UserSessions>();

/** The one UserSessions of this process for this database: REST, sockets and admin routes share it. */
export function userSessionsFor(ctx: Pick<AppContext, 'db' | 'logger'>): UserSessions {
  let sessions = perDatabase.get(ctx.db);
  if (!sessions) {
    sessions = new UserSessions(ctx.db, ctx.logger.child({ component: 'sessions' }));
    perDatabase.set(ctx.db, sessions);
  }
  return sessions;
}
