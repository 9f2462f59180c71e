import { createHash } from 'node:crypto';
import type { ConsultationListQuery, ConsultationView, Page } from '@parley/shared';
import type { Db } from '../db/types.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { confirmationState } from '../confirmation/confirmationState.ts';
import { BLOCKING_STATUSES, type ExistingConsultation, type FacilityRules } from './bookingRules.ts';
import { interpreterRoles } from './interpreterRoles.ts';
import type { InterpreterCandidate } from './suggestSlots.ts';

/** A database handle or an open transaction: repositories work on either. */
export type DbOrTx = Db | Prisma.TransactionClient;

/** Statuses in which a consultation still holds its kiosk PIN. */
const PIN_HOLDING_STATUSES = ['REQUESTED', 'SCHEDULED', 'IN_PROGRESS'] as const;

/** What locks are taken on; the key space is separate per kind. */
export type LockTarget = `${'facility' | 'attorney' | 'client' | 'interpreter' | 'consultation'}:${string}`;

function lockKey(target: LockTarget): bigint {
  return createHash('sha256').update(`scheduling:${target}`).digest().readBigInt64BE(0);
}

const consultationViewSelect = {
  id: true,
  language: true,
  mode: true,
  startsAt: true,
  endsAt: true,
  status: true,
  kioskPin: true,
  cancelReason: true,
  case: { select: { id: true, reference: true } },
  client: { select: { id: true, firstName: true, lastName: true } },
  facility: { select: { id: true, name: true, code: true, timeZone: true } },
  attorney: { select: { id: true, name: true } },
  interpreter: { select: { id: true, name: true } },
  // Relay interpreters and booth partners (issue 17), with the pair each covers.
  furtherInterpreters: {
    select: {
      interpreterId: true,
      languageA: true,
      languageB: true,
      interpreter: { select: { name: true } },
    },
    orderBy: { createdAt: 'asc' },
  },
  // The latest confirmation request: where the facility's answer stands.
  confirmations: {
    orderBy: { createdAt: 'desc' },
    take: 1,
    select: {
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
    },
  },
} as const;

type ConsultationViewRow = Prisma.ConsultationGetPayload<{ select: typeof consultationViewSelect }>;

function toView(row: ConsultationViewRow, showPin: boolean): ConsultationView {
  const { confirmations, furtherInterpreters, ...rest } = row;
  const [latest] = confirmations;
  const names = new Map(furtherInterpreters.map((f) => [f.interpreterId, f.interpreter.name]));
  return {
    ...rest,
    mode: row.mode,
    status: row.status,
    furtherInterpreters: interpreterRoles({
      interpreterId: row.interpreter?.id ?? null,
      language: row.language,
      furtherInterpreters,
    })
      .filter((r) => r.kind !== 'FIRST')
      .map((r) => ({
        id: r.interpreterId,
        name: names.get(r.interpreterId) ?? '',
        pair: r.pair,
        kind: r.kind === 'RELAY' ? 'RELAY' : 'PARTNER',
      })),
    // The facility's reason is for staff and the attorney, as the cancellation's is.
    confirmation: latest ? confirmationState(latest, new Date(), showPin) : null,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    kioskPin: showPin ? row.kioskPin : null,
    // Staff's own words about a cancellation are for staff and the attorney, as the PIN is.
    cancelReason: showPin ? row.cancelReason : null,
  };
}

const existingSelect = {
  id: true,
  facilityId: true,
  attorneyId: true,
  clientId: true,
  interpreterId: true,
  furtherInterpreters: { select: { interpreterId: true } },
  startsAt: true,
  endsAt: true,
  status: true,
} as const;

type ExistingRow = Prisma.ConsultationGetPayload<{ select: typeof existingSelect }>;

function toExisting({ furtherInterpreters, ...row }: ExistingRow): ExistingConsultation {
  return { ...row, furtherInterpreterIds: furtherInterpreters.map((f) => f.interpreterId) };
}

/** Where a consultation has `interpreterId` as its own interpreter or a further one (issue 17). */
function withInterpreter(interpreterIds: string | readonly string[]): Prisma.ConsultationWhereInput {
  const ids = typeof interpreterIds === 'string' ? [interpreterIds] : [...interpreterIds];
  return {
    OR: [{ interpreterId: { in: ids } }, { furtherInterpreters: { some: { interpreterId: { in: ids } } } }],
  };
}

/** Who a list is for: staff see everything; attorneys and interpreters their own calls. */
export type ConsultationScope = { kind: 'all' } | { kind: 'attorney' | 'interpreter'; userId: string };

export interface ConsultationForEdit {
  id: string;
  organizationId: string;
  caseId: string;
  clientId: string;
  facilityId: string;
  attorneyId: string;
  interpreterId: string | null;
  /** Relay interpreters and booth partners, with the pair each covers (issue 17). */
  furtherInterpreters: { interpreterId: string; languageA: string; languageB: string }[];
  language: string;
  startsAt: Date;
  endsAt: Date;
  status: ExistingConsultation['status'];
}

/** Data access for bookings, always scoped to one organisation. */
export class SchedulingRepository {
  constructor(private readonly db: DbOrTx) {}

  /**
   * Transaction-scoped advisory locks, taken in ascending key order so two bookings that need
   * overlapping sets of locks can never wait on each other in a cycle.
   */
  async lock(targets: readonly LockTarget[]): Promise<void> {
    const keys = [...new Set(targets.map(lockKey))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const key of keys) {
      await this.db.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${key.toString()}::bigint)`;
    }
  }

  async facilityRules(
    organizationId: string,
    facilityId: string,
  ): Promise<{
    rules: FacilityRules;
    name: string;
    confirmation: { required: boolean; contactEmail: string };
  } | null> {
    const row = await this.db.facility.findFirst({
      where: { id: facilityId, organizationId },
      select: {
        id: true,
        name: true,
        timeZone: true,
        booths: true,
        minLeadTimeMinutes: true,
        maxCallMinutes: true,
        dailyLimitPerAttorneyClient: true,
        visitingWindows: { select: { weekday: true, startMinute: true, endMinute: true } },
        blackouts: { select: { date: true } },
        organization: { select: { bookingHorizonDays: true } },
        confirmationRequired: true,
        contactEmail: true,
      },
    });
    if (!row) return null;
    const { visitingWindows, blackouts, name, organization, confirmationRequired, contactEmail, ...rest } =
      row;
    return {
      name,
      confirmation: { required: confirmationRequired, contactEmail },
      rules: {
        ...rest,
        bookingHorizonDays: organization.bookingHorizonDays,
        windows: visitingWindows,
        blackoutDates: blackouts.map((b) => b.date.toISOString().slice(0, 10)),
      },
    };
  }

  async caseForBooking(organizationId: string, caseId: string) {
    const row = await this.db.case.findFirst({
      where: { id: caseId, organizationId },
      select: {
        id: true,
        status: true,
        client: { select: { id: true, facilityId: true, preferredLanguage: true } },
        attorneys: { select: { attorneyId: true } },
      },
    });
    if (!row) return null;
    return {
      id: row.id,
      status: row.status,
      clientId: row.client.id,
      clientFacilityId: row.client.facilityId,
      preferredLanguage: row.client.preferredLanguage,
      attorneyIds: row.attorneys.map((a) => a.attorneyId),
    };
  }

  async activeUser(organizationId: string, id: string, role: 'ATTORNEY' | 'INTERPRETER') {
    return this.db.user.findFirst({
      where: { id, organizationId, role, active: true },
      select: { id: true, name: true },
    });
  }

  /** The interpreter's languages, weekly pattern and the exceptions touching [from, to). */
  async interpreterFacts(
    organizationId: string,
    id: string,
    from: Date,
    to: Date,
  ): Promise<InterpreterCandidate | null> {
    const [candidate] = await this.interpreters(organizationId, { id }, from, to);
    return candidate ?? null;
  }

  /** Active interpreters of the organisation who cover `language`, with their availability. */
  interpreterCandidates(organizationId: string, language: string, from: Date, to: Date) {
    return this.interpreters(organizationId, { languages: { has: language } }, from, to);
  }

  private async interpreters(
    organizationId: string,
    where: Prisma.UserWhereInput,
    from: Date,
    to: Date,
  ): Promise<InterpreterCandidate[]> {
    const rows = await this.db.user.findMany({
      where: { ...where, organizationId, role: 'INTERPRETER', active: true },
      select: {
        id: true,
        name: true,
        languages: true,
        timeZone: true,
        availability: { select: { weekday: true, startMinute: true, endMinute: true } },
        availabilityExceptions: {
          where: { startsAt: { lt: to }, endsAt: { gt: from } },
          select: { startsAt: true, endsAt: true, available: true },
        },
      },
      orderBy: { name: 'asc' },
    });
    return rows.map((r): InterpreterCandidate => ({
      id: r.id,
      name: r.name,
      languages: r.languages,
      timeZone: r.timeZone,
      weekly: r.availability,
      exceptions: r.availabilityExceptions,
    }));
  }

  /**
   * Blocking consultations in [from, to) that share the facility or any of the people: everything
   * the rules need to judge a booking there.
   */
  async consultationsTouching(
    organizationId: string,
    who: { facilityId: string; attorneyId: string; clientId: string; interpreterIds: readonly string[] },
    from: Date,
    to: Date,
  ): Promise<ExistingConsultation[]> {
    const rows = await this.db.consultation.findMany({
      where: {
        organizationId,
        status: { in: [...BLOCKING_STATUSES] },
        startsAt: { lt: to },
        endsAt: { gt: from },
        OR: [
          { facilityId: who.facilityId },
          { attorneyId: who.attorneyId },
          { clientId: who.clientId },
          // Their own calls and the ones they relay or partner on (issue 17).
          ...(who.interpreterIds.length > 0 ? (withInterpreter(who.interpreterIds).OR ?? []) : []),
        ],
      },
      select: existingSelect,
    });
    return rows.map(toExisting);
  }

  async kioskPinInUse(facilityId: string, kioskPin: string): Promise<boolean> {
    const count = await this.db.consultation.count({
      where: { facilityId, kioskPin, status: { in: [...PIN_HOLDING_STATUSES] } },
    });
    return count > 0;
  }

  async create(data: {
    organizationId: string;
    caseId: string;
    clientId: string;
    facilityId: string;
    attorneyId: string;
    interpreterId: string | null;
    language: string;
    mode: 'CONSECUTIVE' | 'SIMULTANEOUS';
    startsAt: Date;
    endsAt: Date;
    kioskPin: string;
    createdById: string;
    status: 'REQUESTED' | 'SCHEDULED';
  }): Promise<string> {
    const row = await this.db.consultation.create({ data, select: { id: true } });
    return row.id;
  }

  /** A relay interpreter or booth partner of a booking (issue 17). */
  async addFurtherInterpreter(data: {
    organizationId: string;
    consultationId: string;
    interpreterId: string;
    languageA: string;
    languageB: string;
  }): Promise<void> {
    await this.db.consultationInterpreter.create({ data, select: { id: true } });
  }

  findForEdit(organizationId: string, id: string): Promise<ConsultationForEdit | null> {
    return this.db.consultation.findFirst({
      where: { id, organizationId },
      select: {
        ...existingSelect,
        furtherInterpreters: { select: { interpreterId: true, languageA: true, languageB: true } },
        organizationId: true,
        caseId: true,
        language: true,
      },
    });
  }

  async reschedule(
    id: string,
    change: {
      startsAt: Date;
      endsAt: Date;
      interpreterId: string | null;
      status: 'REQUESTED' | 'SCHEDULED';
    },
  ) {
    await this.db.consultation.update({ where: { id }, data: change, select: { id: true } });
  }

  async setStatus(id: string, status: 'CANCELLED', cancelReason?: string) {
    await this.db.consultation.update({
      where: { id },
      data: { status, ...(cancelReason !== undefined ? { cancelReason } : {}) },
      select: { id: true },
    });
  }

  /**
   * Scheduled calls that ended before `endedBefore` with no sign of the client: no SessionEvent
   * from the client's side (the kiosk logs the client joining with actorRole CLIENT).
   */
  async noShowCandidates(
    endedBefore: Date,
    take: number,
    afterId?: string,
  ): Promise<{ id: string; organizationId: string }[]> {
    return this.db.consultation.findMany({
      where: {
        status: 'SCHEDULED',
        endsAt: { lt: endedBefore },
        events: { none: { actorRole: 'CLIENT' } },
        ...(afterId ? { id: { gt: afterId } } : {}),
      },
      select: { id: true, organizationId: true },
      orderBy: { id: 'asc' },
      take,
    });
  }

  /**
   * One conditional UPDATE: NO_SHOW only if the call is still SCHEDULED, ended before `endedBefore`
   * and the client has still left no sign. True when this call changed it.
   */
  async markNoShowIfStill(id: string, endedBefore: Date): Promise<boolean> {
    const { count } = await this.db.consultation.updateMany({
      where: {
        id,
        status: 'SCHEDULED',
        endsAt: { lt: endedBefore },
        events: { none: { actorRole: 'CLIENT' } },
      },
      data: { status: 'NO_SHOW' },
    });
    return count === 1;
  }

  async view(organizationId: string, id: string, scope: ConsultationScope): Promise<ConsultationView | null> {
    const row = await this.db.consultation.findFirst({
      where: { id, organizationId, ...scopeWhere(scope) },
      select: consultationViewSelect,
    });
    return row ? toView(row, scope.kind !== 'interpreter') : null;
  }

  async list(
    organizationId: string,
    query: ConsultationListQuery,
    scope: ConsultationScope,
  ): Promise<Page<ConsultationView>> {
    const where: Prisma.ConsultationWhereInput = {
      organizationId,
      ...(query.facilityId ? { facilityId: query.facilityId } : {}),
      ...(query.attorneyId ? { attorneyId: query.attorneyId } : {}),
      ...(query.interpreterId ? withInterpreter(query.interpreterId) : {}),
      ...(query.caseId ? { caseId: query.caseId } : {}),
      ...(query.status === 'OPEN'
        ? { status: { in: [...PIN_HOLDING_STATUSES] } }
        : query.status
          ? { status: query.status }
          : {}),
      ...(query.from || query.to
        ? {
            ...(query.to ? { startsAt: { lt: new Date(query.to) } } : {}),
            ...(query.from ? { endsAt: { gt: new Date(query.from) } } : {}),
          }
        : {}),
      ...scopeWhere(scope),
    };
    const [rows, total] = await Promise.all([
      this.db.consultation.findMany({
        where,
        select: consultationViewSelect,
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        take: query.limit,
        skip: query.offset,
      }),
      this.db.consultation.count({ where }),
    ]);
    return {
      items: rows.map((r) => toView(r, scope.kind !== 'interpreter')),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }
}

function scopeWhere(scope: ConsultationScope): Prisma.ConsultationWhereInput {
  if (scope.kind === 'attorney') return { attorneyId: scope.userId };
  // An interpreter's calls: their own, and those they relay or partner on (issue 17).
  if (scope.kind === 'interpreter') return { AND: [withInterpreter(scope.userId)] };
  return {};
}
