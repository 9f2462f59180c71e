import type { FacilitySummary } from '@parley/shared';
import type { Db } from '../db/types.ts';

export const facilitySummarySelect = {
  id: true,
  name: true,
  code: true,
  address: true,
  timeZone: true,
  booths: true,
  minLeadTimeMinutes: true,
  maxCallMinutes: true,
  dailyLimitPerAttorneyClient: true,
} as const;

export class FacilityRepository {
  constructor(private readonly db: Db) {}

  list(organizationId: string): Promise<FacilitySummary[]> {
    return this.db.facility.findMany({
      where: { organizationId },
      select: facilitySummarySelect,
      orderBy: { name: 'asc' },
    });
  }

  findById(organizationId: string, id: string): Promise<FacilitySummary | null> {
    return this.db.facility.findFirst({ where: { id, organizationId }, select: facilitySummarySelect });
  }

  async existsInOrganization(organizationId: string, id: string): Promise<boolean> {
    return (await this.db.facility.count({ where: { id, organizationId } })) > 0;
  }
}
