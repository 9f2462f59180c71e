import type {
  CreateBlackoutRequest,
  FacilityContact,
  CreateFacilityRequest,
  FacilityDetail,
  FacilitySummary,
  KioskDeviceView,
  UpdateFacilityRequest,
} from '@parley/shared';
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

/** Admin side of facilities: rules, windows, blackouts and kiosk devices. */
export class FacilityAdminRepository {
  constructor(private readonly db: Db) {}

  async detail(organizationId: string, id: string): Promise<FacilityDetail | null> {
    const row = await this.db.facility.findFirst({
      where: { id, organizationId },
      select: {
        ...facilitySummarySelect,
        visitingWindows: {
          select: { weekday: true, startMinute: true, endMinute: true },
          orderBy: [{ weekday: 'asc' }, { startMinute: 'asc' }],
        },
        blackouts: { select: { id: true, date: true, reason: true }, orderBy: { date: 'asc' } },
        kioskDevices: {
          select: { id: true, label: true, lastSeenAt: true, revokedAt: true, createdAt: true },
          orderBy: { createdAt: 'asc' },
        },
      },
    });
    if (!row) return null;
    const { visitingWindows, blackouts, kioskDevices, ...summary } = row;
    return {
      ...summary,
      windows: visitingWindows,
      blackouts: blackouts.map((b) => ({ ...b, date: b.date.toISOString().slice(0, 10) })),
      kioskDevices: kioskDevices.map(toDeviceView),
    };
  }

  async codeTaken(organizationId: string, code: string, exceptId?: string): Promise<boolean> {
    const row = await this.db.facility.findFirst({
      where: { organizationId, code, ...(exceptId ? { id: { not: exceptId } } : {}) },
      select: { id: true },
    });
    return row !== null;
  }

  async create(organizationId: string, input: CreateFacilityRequest): Promise<string> {
    const { windows, ...fields } = input;
    const row = await this.db.facility.create({
      data: { organizationId, ...fields, visitingWindows: { create: windows } },
      select: { id: true },
    });
    return row.id;
  }

  /** Applies a partial update; `windows`, when given, replaces the weekly set in the same transaction. */
  async update(organizationId: string, id: string, patch: UpdateFacilityRequest): Promise<boolean> {
    const { windows, ...fields } = patch;
    return this.db.$transaction(async (tx) => {
      // A windows-only patch has no fields: updateMany would then match nothing and report 0.
      const { count } =
        Object.keys(fields).length > 0
          ? await tx.facility.updateMany({ where: { id, organizationId }, data: fields })
          : { count: await tx.facility.count({ where: { id, organizationId } }) };
      if (count === 0) return false;
      if (windows) {
        await tx.visitingWindow.deleteMany({ where: { facilityId: id } });
        await tx.visitingWindow.createMany({ data: windows.map((w) => ({ ...w, facilityId: id })) });
      }
      return true;
    });
  }

  async blackoutExists(facilityId: string, date: string): Promise<boolean> {
    const row = await this.db.facilityBlackout.findFirst({
      where: { facilityId, date: new Date(`${date}T00:00:00Z`) },
      select: { id: true },
    });
    return row !== null;
  }

  async addBlackout(facilityId: string, input: CreateBlackoutRequest): Promise<void> {
    await this.db.facilityBlackout.create({
      data: { facilityId, date: new Date(`${input.date}T00:00:00Z`), reason: input.reason },
      select: { id: true },
    });
  }

  async removeBlackout(facilityId: string, id: string): Promise<boolean> {
    const { count } = await this.db.facilityBlackout.deleteMany({ where: { id, facilityId } });
    return count > 0;
  }

  async addKioskDevice(
    organizationId: string,
    facilityId: string,
    label: string,
    credentialHash: string,
  ): Promise<KioskDeviceView> {
    const row = await this.db.kioskDevice.create({
      data: { organizationId, facilityId, label, credentialHash },
      select: { id: true, label: true, lastSeenAt: true, revokedAt: true, createdAt: true },
    });
    return toDeviceView(row);
  }

  contact(organizationId: string, id: string): Promise<FacilityContact | null> {
    return this.db.facility.findFirst({
      where: { id, organizationId },
      select: { contactName: true, contactEmail: true, contactPhone: true, confirmationRequired: true },
    });
  }

  async setContact(organizationId: string, id: string, contact: FacilityContact): Promise<void> {
    await this.db.facility.updateMany({ where: { id, organizationId }, data: contact });
  }

  /** Relabels a device that is still in use; false when there is none (or it was revoked). */
  async renameKioskDevice(facilityId: string, id: string, label: string): Promise<boolean> {
    const { count } = await this.db.kioskDevice.updateMany({
      where: { id, facilityId, revokedAt: null },
      data: { label },
    });
    return count > 0;
  }

  async revokeKioskDevice(facilityId: string, id: string, at: Date): Promise<boolean> {
    const { count } = await this.db.kioskDevice.updateMany({
      where: { id, facilityId, revokedAt: null },
      data: { revokedAt: at },
    });
    return count > 0;
  }
}

function toDeviceView(row: {
  id: string;
  label: string;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}): KioskDeviceView {
  return {
    id: row.id,
    label: row.label,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
