import type { DbOrTx } from '../scheduling/SchedulingRepository.ts';
import type { ConfirmationRow } from './confirmationState.ts';

const rowSelect = {
  id: true,
  consultationId: true,
  sentTo: true,
  createdAt: true,
  expiresAt: true,
  remindersSent: true,
  lastSentAt: true,
  answer: true,
  answeredAt: true,
  answeredById: true,
  declineReason: true,
  proposedStartsAt: true,
  supersededAt: true,
} as const;

/** The call as the facility's contact sees it through the link, and as the mails describe it. */
const callSelect = {
  id: true,
  organizationId: true,
  status: true,
  startsAt: true,
  endsAt: true,
  language: true,
  facility: { select: { id: true, name: true, timeZone: true, contactEmail: true, contactName: true } },
  client: { select: { firstName: true, lastName: true, aNumber: true } },
  attorney: { select: { name: true } },
  createdBy: { select: { email: true, name: true } },
} as const;

/** Data access for facility confirmation requests. */
export class FacilityConfirmationRepository {
  constructor(private readonly db: DbOrTx) {}

  async create(data: {
    id: string;
    organizationId: string;
    consultationId: string;
    facilityId: string;
    tokenHash: string;
    startsAt: Date;
    endsAt: Date;
    sentTo: string;
    linkOrigin: string;
    expiresAt: Date;
    now: Date;
  }): Promise<void> {
    const { now, ...rest } = data;
    await this.db.facilityConfirmation.create({
      data: { ...rest, lastSentAt: now, createdAt: now },
      select: { id: true },
    });
  }

  /** Closes every open request of the consultation: a new time or a cancellation makes them moot. */
  async supersedeOpen(consultationId: string, now: Date): Promise<void> {
    await this.db.facilityConfirmation.updateMany({
      where: { consultationId, supersededAt: null },
      data: { supersededAt: now },
    });
  }

  findByTokenHash(tokenHash: string) {
    return this.db.facilityConfirmation.findUnique({
      where: { tokenHash },
      select: { ...rowSelect, organizationId: true, linkOrigin: true, startsAt: true, endsAt: true },
    });
  }

  /** The latest request of a consultation (any state). */
  latest(organizationId: string, consultationId: string) {
    return this.db.facilityConfirmation.findFirst({
      where: { organizationId, consultationId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { ...rowSelect, organizationId: true, linkOrigin: true, startsAt: true, endsAt: true },
    });
  }

  async record(
    id: string,
    answer: {
      answer: 'CONFIRMED' | 'DECLINED' | 'PROPOSED';
      answeredAt: Date;
      answeredById?: string;
      declineReason?: string;
      proposedStartsAt?: Date;
    },
  ): Promise<boolean> {
    // Conditional: only an open, unanswered request takes an answer (the caller holds the lock too).
    const { count } = await this.db.facilityConfirmation.updateMany({
      where: { id, answer: null, supersededAt: null },
      data: answer,
    });
    return count === 1;
  }

  /** A request with what its mail needs. */
  forMail(id: string) {
    return this.db.facilityConfirmation.findUnique({
      where: { id },
      select: {
        id: true,
        consultationId: true,
        sentTo: true,
        linkOrigin: true,
        startsAt: true,
        endsAt: true,
        expiresAt: true,
        tokenHash: true,
      },
    });
  }

  /** REQUESTED → SCHEDULED or CANCELLED, only if the call still waits. True when it changed. */
  async settleCall(
    consultationId: string,
    status: 'SCHEDULED' | 'CANCELLED',
    cancelReason?: string,
  ): Promise<boolean> {
    const { count } = await this.db.consultation.updateMany({
      where: { id: consultationId, status: 'REQUESTED' },
      data: { status, ...(cancelReason !== undefined ? { cancelReason } : {}) },
    });
    return count === 1;
  }

  async organizationName(organizationId: string): Promise<string> {
    const org = await this.db.organization.findUnique({
      where: { id: organizationId },
      select: { name: true },
    });
    return org?.name ?? 'A legal aid organisation';
  }

  call(consultationId: string) {
    return this.db.consultation.findUnique({ where: { id: consultationId }, select: callSelect });
  }

  /** Open, unanswered requests last mailed before `sentBefore`: reminder candidates. */
  reminderCandidates(sentBefore: Date, now: Date, take: number, afterId?: string) {
    return this.db.facilityConfirmation.findMany({
      where: {
        answer: null,
        supersededAt: null,
        sentTo: { not: '' },
        lastSentAt: { lt: sentBefore },
        expiresAt: { gt: now },
        consultation: { status: 'REQUESTED' },
        ...(afterId ? { id: { gt: afterId } } : {}),
      },
      select: { ...rowSelect, organizationId: true, linkOrigin: true, startsAt: true, endsAt: true },
      orderBy: { id: 'asc' },
      take,
    });
  }

  /** Counts a reminder if the request is still open and still due (one conditional UPDATE). */
  async markReminded(id: string, sentBefore: Date, now: Date, maxReminders: number): Promise<boolean> {
    const { count } = await this.db.facilityConfirmation.updateMany({
      where: {
        id,
        answer: null,
        supersededAt: null,
        lastSentAt: { lt: sentBefore },
        remindersSent: { lt: maxReminders },
        expiresAt: { gt: now },
      },
      data: { remindersSent: { increment: 1 }, lastSentAt: now },
    });
    return count === 1;
  }

  async remindersSent(id: string): Promise<number> {
    const row = await this.db.facilityConfirmation.findUnique({
      where: { id },
      select: { remindersSent: true },
    });
    return row?.remindersSent ?? 0;
  }
}

export type StoredConfirmation = NonNullable<Awaited<ReturnType<FacilityConfirmationRepository['latest']>>>;
export type ConfirmationCall = NonNullable<Awaited<ReturnType<FacilityConfirmationRepository['call']>>>;
export type { ConfirmationRow };
