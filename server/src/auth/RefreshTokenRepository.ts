import type { Db } from '../db/types.ts';

export class RefreshTokenRepository {
  constructor(private readonly db: Db) {}

  create(input: { userId: string; tokenHash: string; familyId: string; expiresAt: Date }) {
    return this.db.refreshToken.create({ data: input, select: { id: true } });
  }

  /**
   * Marks the token used and returns it, atomically: of two concurrent refreshes with the same
   * token only one sees `revokedAt` null.
   */
  async consume(tokenHash: string, now: Date) {
    const token = await this.db.refreshToken.findUnique({
      where: { tokenHash },
      select: { id: true, userId: true, familyId: true, expiresAt: true, revokedAt: true },
    });
    if (!token) return { kind: 'unknown' as const };
    if (token.revokedAt) return { kind: 'reused' as const, familyId: token.familyId, userId: token.userId };
    const { count } = await this.db.refreshToken.updateMany({
      where: { id: token.id, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) return { kind: 'reused' as const, familyId: token.familyId, userId: token.userId };
    if (token.expiresAt <= now) return { kind: 'expired' as const };
    return { kind: 'ok' as const, userId: token.userId, familyId: token.familyId };
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
  }

  async familyOf(tokenHash: string): Promise<string | null> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash }, select: { familyId: true } });
    return row?.familyId ?? null;
  }
}
