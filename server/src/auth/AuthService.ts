import { randomUUID } from 'node:crypto';
import { ErrorCode, type AuthResponse, type LoginRequest } from '@parley/shared';
import type { Config } from '../config.ts';
import type { Db } from '../db/types.ts';
import { AppError, UnauthenticatedError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import { DEFAULT_SIGN_IN_POLICY, type AttemptPolicy } from './attemptPolicy.ts';
import { AttemptThrottleRepository, signInKey } from './AttemptThrottleRepository.ts';
import { verifyPassword } from './passwords.ts';
import { RefreshTokenRepository } from './RefreshTokenRepository.ts';
import { hashRefreshToken, newRefreshToken, signAccessToken } from './tokens.ts';
import { UserRepository, type SessionUserRow } from './UserRepository.ts';
import { userSessionsFor, type UserSessions } from './UserSessions.ts';

/** How often failed sign-ins also remove attempt rows whose window and lock are over. */
const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Too many failed attempts at one account: refused until `retryAt`, or until an admin unlocks it. */
export class AccountLockedError extends AppError {
  constructor(readonly retryAt: Date) {
    super(
      ErrorCode.ACCOUNT_LOCKED,
      `Too many failed sign-in attempts on this account. Try again after ${retryAt.toISOString()}, or ask an administrator to unlock it.`,
      429,
    );
  }
}

/** Sign-in, token refresh with rotation and reuse detection, and sign-out. */
export class AuthService {
  private readonly users: UserRepository;
  private readonly refreshTokens: RefreshTokenRepository;
  private readonly attempts: AttemptThrottleRepository;
  private readonly sessions: UserSessions;
  /** When this process last removed attempt rows that no longer count (unknown emails pile up). */
  private lastSweep = 0;

  constructor(
    db: Db,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly signInPolicy: AttemptPolicy = DEFAULT_SIGN_IN_POLICY,
  ) {
    this.users = new UserRepository(db);
    this.refreshTokens = new RefreshTokenRepository(db);
    this.attempts = new AttemptThrottleRepository(db);
    this.sessions = userSessionsFor({ db, logger });
  }

  /**
   * Signs in. Failures count per email address (known or not) as well as per client address: a
   * locked account refuses even the right password, with ACCOUNT_LOCKED and when to retry.
   */
  async login({ email, password }: LoginRequest): Promise<AuthResponse> {
    const key = signInKey(email);
    const locked = await this.attempts.lockedUntil(key, new Date());
    if (locked) throw new AccountLockedError(locked);
    const credentials = await this.users.findCredentialsByEmail(email);
    const ok = await verifyPassword(credentials?.passwordHash, password);
    if (!credentials || !ok || !credentials.active) {
      const now = new Date();
      const state = await this.attempts.recordFailure(key, now, this.signInPolicy);
      if (now.getTime() - this.lastSweep > SWEEP_INTERVAL_MS) {
        this.lastSweep = now.getTime();
        this.attempts
          .sweep(now, this.signInPolicy)
          .catch((err: unknown) => this.logger.error({ err }, 'attempt rows not swept'));
      }
      if (state.lockedUntil) {
        this.logger.warn(
          { userId: credentials?.id, failures: state.failures },
          'sign-in locked for an account',
        );
        throw new AccountLockedError(state.lockedUntil);
      }
      throw new UnauthenticatedError(ErrorCode.INVALID_CREDENTIALS, 'The email or password is not correct');
    }
    await this.attempts.clear(key);
    const user = await this.users.findSessionUser(credentials.id);
    if (!user)
      throw new UnauthenticatedError(ErrorCode.INVALID_CREDENTIALS, 'The email or password is not correct');
    this.logger.info({ userId: user.id, role: user.role }, 'signed in');
    return this.issue(user, randomUUID());
  }

  async refresh(refreshToken: string): Promise<AuthResponse> {
    const now = new Date();
    const result = await this.refreshTokens.consume(hashRefreshToken(refreshToken), now);
    if (result.kind === 'reused') {
      // A used token coming back means it was copied: end every session of the user at once,
      // access tokens included (their session version goes up).
      await this.refreshTokens.revokeFamily(result.familyId, now);
      await this.sessions.revoke(result.userId, 'REFRESH_TOKEN_REUSED');
      this.logger.warn({ familyId: result.familyId }, 'refresh token reused; sessions revoked');
    }
    if (result.kind !== 'ok') {
      throw new UnauthenticatedError(
        ErrorCode.REFRESH_TOKEN_INVALID,
        'Your session has ended; sign in again',
      );
    }
    const user = await this.users.findSessionUser(result.userId);
    if (!user || !user.active) {
      throw new UnauthenticatedError(
        ErrorCode.REFRESH_TOKEN_INVALID,
        'Your session has ended; sign in again',
      );
    }
    return this.issue(user, result.familyId);
  }

  /** Ends the sign-in the refresh token belongs to. Unknown tokens are ignored: logout is idempotent. */
  async logout(refreshToken: string): Promise<void> {
    const familyId = await this.refreshTokens.familyOf(hashRefreshToken(refreshToken));
    if (familyId) await this.refreshTokens.revokeFamily(familyId, new Date());
  }

  private async issue(user: SessionUserRow, familyId: string): Promise<AuthResponse> {
    const { token, tokenHash } = newRefreshToken();
    await this.refreshTokens.create({
      userId: user.id,
      tokenHash,
      familyId,
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
    });
    const accessToken = signAccessToken(
      {
        userId: user.id,
        organizationId: user.organizationId,
        role: user.role,
        sessionVersion: user.sessionVersion,
      },
      this.config.jwtSecret,
      this.config.accessTokenTtlSeconds,
    );
    const { active: _active, sessionVersion: _version, ...sessionUser } = user;
    return {
      accessToken,
      expiresIn: this.config.accessTokenTtlSeconds,
      refreshToken: token,
      user: sessionUser,
    };
  }
}
