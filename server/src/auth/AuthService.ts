import { randomUUID } from 'node:crypto';
import { ErrorCode, type AuthResponse, type LoginRequest } from '@parley/shared';
import type { Config } from '../config.ts';
import type { Db } from '../db/types.ts';
import { UnauthenticatedError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import { verifyPassword } from './passwords.ts';
import { RefreshTokenRepository } from './RefreshTokenRepository.ts';
import { hashRefreshToken, newRefreshToken, signAccessToken } from './tokens.ts';
import { UserRepository, type SessionUserRow } from './UserRepository.ts';

/** Sign-in, token refresh with rotation and reuse detection, and sign-out. */
export class AuthService {
  private readonly users: UserRepository;
  private readonly refreshTokens: RefreshTokenRepository;

  constructor(
    db: Db,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {
    this.users = new UserRepository(db);
    this.refreshTokens = new RefreshTokenRepository(db);
  }

  async login({ email, password }: LoginRequest): Promise<AuthResponse> {
    const credentials = await this.users.findCredentialsByEmail(email);
    const ok = await verifyPassword(credentials?.passwordHash, password);
    if (!credentials || !ok || !credentials.active) {
      throw new UnauthenticatedError(ErrorCode.INVALID_CREDENTIALS, 'The email or password is not correct');
    }
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
      // A used token coming back means it was copied: end every session of that sign-in.
      await this.refreshTokens.revokeFamily(result.familyId, now);
      this.logger.warn({ familyId: result.familyId }, 'refresh token reused; family revoked');
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
      { userId: user.id, organizationId: user.organizationId, role: user.role },
      this.config.jwtSecret,
      this.config.accessTokenTtlSeconds,
    );
    const { active: _active, ...sessionUser } = user;
    return {
      accessToken,
      expiresIn: this.config.accessTokenTtlSeconds,
      refreshToken: token,
      user: sessionUser,
    };
  }
}
