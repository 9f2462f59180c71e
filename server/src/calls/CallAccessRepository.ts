import type { Db } from '../db/types.ts';

const callConsultationSelect = {
  id: true,
  organizationId: true,
  facilityId: true,
  attorneyId: true,
  interpreterId: true,
  clientId: true,
  status: true,
  startsAt: true,
  endsAt: true,
  language: true,
  mode: true,
  client: { select: { firstName: true, lastName: true } },
  attorney: { select: { name: true } },
  interpreter: { select: { name: true } },
  /** Relay interpreters and booth partners (issue 17). */
  furtherInterpreters: {
    select: { interpreterId: true, languageA: true, languageB: true },
    orderBy: { createdAt: 'asc' },
  },
  facility: { select: { name: true, timeZone: true, maxCallMinutes: true } },
} as const;

export interface CallConsultation {
  id: string;
  organizationId: string;
  facilityId: string;
  attorneyId: string;
  interpreterId: string | null;
  clientId: string;
  status: 'REQUESTED' | 'SCHEDULED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED' | 'NO_SHOW';
  startsAt: Date;
  endsAt: Date;
  language: string;
  mode: 'CONSECUTIVE' | 'SIMULTANEOUS';
  client: { firstName: string; lastName: string };
  attorney: { name: string };
  interpreter: { name: string } | null;
  furtherInterpreters: { interpreterId: string; languageA: string; languageB: string }[];
  facility: { name: string; timeZone: string; maxCallMinutes: number };
}

/** What joining, kiosks and the call's lifecycle read and write. */
export class CallAccessRepository {
  constructor(private readonly db: Db) {}

  findConsultation(organizationId: string, id: string): Promise<CallConsultation | null> {
    return this.db.consultation.findFirst({ where: { id, organizationId }, select: callConsultationSelect });
  }

  findActiveByPin(facilityId: string, pin: string): Promise<CallConsultation | null> {
    return this.db.consultation.findFirst({
      where: { facilityId, kioskPin: pin, status: { in: ['SCHEDULED', 'IN_PROGRESS'] } },
      select: callConsultationSelect,
      orderBy: { startsAt: 'asc' },
    });
  }

  /** A device's facility, when the credential matches a device that is not revoked. */
  findDeviceByCredentialHash(credentialHash: string) {
    return this.db.kioskDevice.findFirst({
      where: { credentialHash, revokedAt: null },
      select: {
        id: true,
        label: true,
        organizationId: true,
        facility: { select: { id: true, name: true, timeZone: true } },
      },
    });
  }

  async isDeviceActive(deviceId: string): Promise<boolean> {
    return (await this.db.kioskDevice.count({ where: { id: deviceId, revokedAt: null } })) > 0;
  }

  async touchDevice(deviceId: string, now: Date): Promise<void> {
    await this.db.kioskDevice.update({
      where: { id: deviceId },
      data: { lastSeenAt: now },
      select: { id: true },
    });
  }

  /** The facility's calls between `from` and `to` that a client could still join. */
  listJoinable(facilityId: string, from: Date, to: Date) {
    return this.db.consultation.findMany({
      where: {
        facilityId,
        status: { in: ['SCHEDULED', 'IN_PROGRESS'] },
        endsAt: { gt: from },
        startsAt: { lt: to },
      },
      select: {
        id: true,
        language: true,
        startsAt: true,
        endsAt: true,
        status: true,
        client: { select: { firstName: true, lastName: true } },
      },
      orderBy: { startsAt: 'asc' },
      take: 50,
    });
  }

  /** SCHEDULED → IN_PROGRESS when the first participant connects. */
  async markInProgress(id: string): Promise<void> {
    await this.db.consultation.updateMany({
      where: { id, status: 'SCHEDULED' },
      data: { status: 'IN_PROGRESS' },
    });
  }

  /** Ends the call for good: later joins are refused with CALL_ENDED. */
  async markCompleted(id: string): Promise<void> {
    await this.db.consultation.updateMany({
      where: { id, status: { in: ['SCHEDULED', 'IN_PROGRESS'] } },
      data: { status: 'COMPLETED' },
    });
  }
}
