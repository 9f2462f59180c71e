import type { WeeklyWindowInput } from '@parley/shared';
import type { Db } from '../db/types.ts';

/** An interpreter's own availability: weekly pattern in their zone, exceptions in UTC. */
export class AvailabilityRepository {
  constructor(private readonly db: Db) {}

  async read(organizationId: string, interpreterId: string) {
    return this.db.user.findFirst({
      where: { id: interpreterId, organizationId, role: 'INTERPRETER' },
      select: {
        timeZone: true,
        availability: {
          select: { weekday: true, startMinute: true, endMinute: true },
          orderBy: [{ weekday: 'asc' }, { startMinute: 'asc' }],
        },
        availabilityExceptions: {
          where: { endsAt: { gt: new Date(Date.now() - 24 * 3600_000) } },
          select: { id: true, startsAt: true, endsAt: true, available: true, note: true },
          orderBy: { startsAt: 'asc' },
          take: 200,
        },
      },
    });
  }

  /** Replaces the zone and the whole weekly pattern at once. */
  async replaceWeekly(interpreterId: string, timeZone: string, weekly: readonly WeeklyWindowInput[]) {
    await this.db.$transaction([
      this.db.user.update({ where: { id: interpreterId }, data: { timeZone }, select: { id: true } }),
      this.db.interpreterAvailability.deleteMany({ where: { interpreterId } }),
      this.db.interpreterAvailability.createMany({ data: weekly.map((w) => ({ ...w, interpreterId })) }),
    ]);
  }

  async addException(
    interpreterId: string,
    e: { startsAt: Date; endsAt: Date; available: boolean; note: string },
  ): Promise<string> {
    const row = await this.db.interpreterAvailabilityException.create({
      data: { interpreterId, ...e },
      select: { id: true },
    });
    return row.id;
  }

  /** Deletes one of the interpreter's own exceptions; false when it is not theirs. */
  async deleteException(interpreterId: string, id: string): Promise<boolean> {
    const { count } = await this.db.interpreterAvailabilityException.deleteMany({
      where: { id, interpreterId },
    });
    return count > 0;
  }
}
