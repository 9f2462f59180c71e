import type { SchedulingSettingsView } from '@parley/shared';
import { AdminAuditRepository } from '../admin/AdminAuditRepository.ts';
import type { Db } from '../db/types.ts';

/** The organisation's scheduling settings: today, how far ahead calls may be booked. */
export class SchedulingSettingsRepository {
  constructor(private readonly db: Db) {}

  async read(organizationId: string): Promise<SchedulingSettingsView | null> {
    return this.db.organization.findUnique({
      where: { id: organizationId },
      select: { bookingHorizonDays: true },
    });
  }

  /** Saves the settings and the admin audit entry together. */
  async update(
    organizationId: string,
    actorUserId: string,
    settings: SchedulingSettingsView,
  ): Promise<SchedulingSettingsView> {
    return this.db.$transaction(async (tx) => {
      const previous = await tx.organization.findUniqueOrThrow({
        where: { id: organizationId },
        select: { bookingHorizonDays: true },
      });
      const saved = await tx.organization.update({
        where: { id: organizationId },
        data: { bookingHorizonDays: settings.bookingHorizonDays },
        select: { bookingHorizonDays: true },
      });
      await new AdminAuditRepository(this.db).record(
        {
          organizationId,
          actorUserId,
          action: 'SCHEDULING_SETTINGS_UPDATED',
          targetType: 'ORGANIZATION',
          targetId: organizationId,
          details: { from: previous.bookingHorizonDays, to: saved.bookingHorizonDays },
        },
        tx,
      );
      return saved;
    });
  }
}
