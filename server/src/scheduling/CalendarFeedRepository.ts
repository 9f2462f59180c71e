import type { Db } from '../db/types.ts';

/** Private calendar feeds: one live feed per person, looked up by the SHA-256 of its token. */
export class CalendarFeedRepository {
  constructor(private readonly db: Db) {}

  async active(userId: string) {
    return this.db.calendarFeed.findFirst({
      where: { userId, revokedAt: null },
      select: { createdAt: true },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** Revokes the person's live feeds and creates a new one, atomically. */
  async replace(organizationId: string, userId: string, tokenHash: string, at: Date) {
    const [, created] = await this.db.$transaction([
      this.db.calendarFeed.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } }),
      this.db.calendarFeed.create({
        data: { organizationId, userId, tokenHash, createdAt: at },
        select: { createdAt: true },
      }),
    ]);
    return created;
  }

  async revokeAll(userId: string, at: Date): Promise<number> {
    const { count } = await this.db.calendarFeed.updateMany({
      where: { userId, revokedAt: null },
      data: { revokedAt: at },
    });
    return count;
  }

  /** The owner of a live feed, or null for an unknown or revoked token. */
  async ownerByTokenHash(tokenHash: string) {
    const feed = await this.db.calendarFeed.findFirst({
      where: { tokenHash, revokedAt: null, user: { active: true } },
      select: { user: { select: { id: true, name: true, role: true, organizationId: true } } },
    });
    return feed?.user ?? null;
  }

  /** A person's consultations for their calendar: recent past and all upcoming. */
  entriesFor(organizationId: string, user: { id: string; role: string }, since: Date) {
    return this.db.consultation.findMany({
      where: {
        organizationId,
        // An interpreter's own calls and those they relay or partner on (issue 17).
        ...(user.role === 'ATTORNEY'
          ? { attorneyId: user.id }
          : {
              OR: [{ interpreterId: user.id }, { furtherInterpreters: { some: { interpreterId: user.id } } }],
            }),
        endsAt: { gt: since },
      },
      select: {
        id: true,
        startsAt: true,
        endsAt: true,
        updatedAt: true,
        status: true,
        language: true,
        mode: true,
        case: { select: { reference: true } },
        facility: { select: { name: true, address: true, timeZone: true } },
        attorney: { select: { name: true } },
        interpreter: { select: { name: true } },
      },
      orderBy: { startsAt: 'asc' },
      take: 2000,
    });
  }
}
