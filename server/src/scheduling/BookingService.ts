import { randomBytes, randomInt } from 'node:crypto';
import {
  ErrorCode,
  type BookConsultationRequest,
  type CancelConsultationRequest,
  type ConsultationView,
  type RescheduleConsultationRequest,
  type SuggestionQuery,
  type SuggestionResponse,
} from '@parley/shared';
import type { AccessClaims } from '../auth/tokens.ts';
import { FacilityConfirmations, type ConfirmationMail } from '../confirmation/FacilityConfirmations.ts';
import type { Db } from '../db/types.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import { appendSessionEvent } from '../sessionLog/appendSessionEvent.ts';
import { checkBooking, type BookingViolation, type InterpreterFacts } from './bookingRules.ts';
import { localDayBounds, localWeekBounds } from './localTime.ts';
import { SchedulingRepository, type ConsultationForEdit, type LockTarget } from './SchedulingRepository.ts';
import { suggestSlots } from './suggestSlots.ts';

const MINUTE = 60_000;
/** Wide enough to hold the facility's local day (UTC−12…+14) and any call overlapping it. */
const FACTS_MARGIN = 40 * 60 * MINUTE;

/** Interactive transactions wait for the locks of concurrent bookings, so they get some room. */
const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

export const SessionEventType = {
  SCHEDULED: 'CONSULTATION_SCHEDULED',
  RESCHEDULED: 'CONSULTATION_RESCHEDULED',
  CANCELLED: 'CONSULTATION_CANCELLED',
  NO_SHOW: 'CONSULTATION_NO_SHOW',
} as const;

/** A booking the rules refuse: 409, the first rule as code, every broken rule in details. */
export class BookingRefusedError extends AppError {
  constructor(readonly violations: BookingViolation[]) {
    const [first] = violations;
    super(
      first?.code ?? ErrorCode.CONFLICT,
      violations.map((v) => v.message).join('; '),
      409,
      violations.map((v) => ({ path: v.code, message: v.message })),
    );
  }
}

/**
 * Books, moves and cancels consultations. Every write runs in one transaction that first takes
 * advisory locks on the facility and each person involved, then re-reads the facts and re-checks
 * the rules, so two staff booking the last booth at once cannot both succeed.
 */
export class BookingService {
  /** Asks facilities to confirm; without one given, links are signed by a key of this process. */
  readonly confirmations: FacilityConfirmations;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    confirmations?: FacilityConfirmations,
  ) {
    this.confirmations =
      confirmations ??
      new FacilityConfirmations(db, logger, { secret: randomBytes(32).toString('base64url') }, now);
  }

  /**
   * Books a call. At a facility that confirms its calls, it starts REQUESTED (holding its booth and
   * people) and the facility's contact is mailed a link whose origin is `linkOrigin` (PUBLIC_URL wins).
   */
  async book(who: AccessClaims, input: BookConsultationRequest, linkOrigin = ''): Promise<ConsultationView> {
    const orgId = who.organizationId;
    const repo = new SchedulingRepository(this.db);
    const theCase = await repo.caseForBooking(orgId, input.caseId);
    if (!theCase) throw new NotFoundError('Case');
    if (theCase.status !== 'OPEN') throw new ConflictError(ErrorCode.CASE_CLOSED, 'The case is closed');
    await this.assertAttorneyOnCase(repo, orgId, input.attorneyId, theCase.attorneyIds);
    if (input.interpreterId && !(await repo.activeUser(orgId, input.interpreterId, 'INTERPRETER'))) {
      throw new NotFoundError('Interpreter');
    }
    const facilityId = input.facilityId ?? theCase.clientFacilityId;
    if (!facilityId) {
      throw new ValidationError('Choose a facility: the client has none on record', [
        { path: 'facilityId', message: 'Required when the client has no current facility' },
      ]);
    }
    if (input.relay && !(await repo.activeUser(orgId, input.relay.interpreterId, 'INTERPRETER'))) {
      throw new NotFoundError('Interpreter');
    }
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(startsAt.getTime() + input.durationMinutes * MINUTE);
    // The relay covers English and the pivot (issue 17), held to the same rules as the call's own.
    const further = input.relay
      ? [{ interpreterId: input.relay.interpreterId, languageA: 'en', languageB: input.relay.pivotLanguage }]
      : [];

    const { id, mail } = await this.db.$transaction(async (tx) => {
      const locked = new SchedulingRepository(tx);
      await locked.lock([
        ...this.lockTargets(facilityId, input.attorneyId, theCase.clientId, input.interpreterId),
        ...further.map((f) => `interpreter:${f.interpreterId}` as const),
      ]);
      const facility = await locked.facilityRules(orgId, facilityId);
      if (!facility) throw new NotFoundError('Facility');
      const violations = await this.violations(
        locked,
        orgId,
        facilityId,
        {
          attorneyId: input.attorneyId,
          clientId: theCase.clientId,
          interpreterId: input.interpreterId,
          language: input.language,
          startsAt,
          endsAt,
        },
        further,
      );
      if (violations.length > 0) throw new BookingRefusedError(violations);
      const consultationId = await locked.create({
        organizationId: orgId,
        caseId: theCase.id,
        clientId: theCase.clientId,
        facilityId,
        attorneyId: input.attorneyId,
        interpreterId: input.interpreterId,
        language: input.language,
        mode: input.mode,
        startsAt,
        endsAt,
        kioskPin: await this.freeKioskPin(locked, facilityId),
        createdById: who.userId,
        status: facility.confirmation.required ? 'REQUESTED' : 'SCHEDULED',
      });
      await appendSessionEvent(tx, {
        organizationId: orgId,
        consultationId,
        type: SessionEventType.SCHEDULED,
        actorUserId: who.userId,
        actorRole: who.role,
        occurredAt: this.now(),
        payload: {
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          facilityId,
          attorneyId: input.attorneyId,
          interpreterId: input.interpreterId,
          language: input.language,
          mode: input.mode,
        },
      });
      for (const f of further) {
        await locked.addFurtherInterpreter({ organizationId: orgId, consultationId, ...f });
        await appendSessionEvent(tx, {
          organizationId: orgId,
          consultationId,
          type: 'FURTHER_INTERPRETER_ADDED',
          actorUserId: who.userId,
          actorRole: who.role,
          occurredAt: this.now(),
          payload: { ...f, kind: 'RELAY' },
        });
      }
      const mail = facility.confirmation.required
        ? await this.confirmations.openInTx(tx, {
            organizationId: orgId,
            consultationId,
            facilityId,
            contactEmail: facility.confirmation.contactEmail,
            startsAt,
            endsAt,
            linkOrigin,
            actor: { userId: who.userId, role: who.role },
          })
        : null;
      return { id: consultationId, mail };
    }, TX_OPTIONS);
    this.logger.info({ consultationId: id, facilityId }, 'consultation booked');
    await this.confirmations.send(mail);
    return this.viewOrThrow(orgId, id);
  }

  /**
   * Moves a call. At a facility that confirms its calls the facility is asked again (the call is
   * REQUESTED until it answers), unless the new time is the one the facility itself proposed.
   */
  async reschedule(
    who: AccessClaims,
    id: string,
    input: RescheduleConsultationRequest,
    linkOrigin = '',
  ): Promise<ConsultationView> {
    const orgId = who.organizationId;
    let mail: ConfirmationMail | null = null;
    await this.editLocked(orgId, id, async (tx, locked, current) => {
      const interpreterId = input.interpreterId === undefined ? current.interpreterId : input.interpreterId;
      if (interpreterId && !(await locked.activeUser(orgId, interpreterId, 'INTERPRETER'))) {
        throw new NotFoundError('Interpreter');
      }
      const duration = input.durationMinutes
        ? input.durationMinutes * MINUTE
        : current.endsAt.getTime() - current.startsAt.getTime();
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(startsAt.getTime() + duration);
      // Relay interpreters and booth partners move with the call (issue 17): each must be free then.
      const furtherIds = current.furtherInterpreters.map((f) => f.interpreterId);
      if (interpreterId && furtherIds.includes(interpreterId))
        throw new ConflictError(ErrorCode.CONFLICT, 'This interpreter is on the booking already');
      if (!interpreterId && furtherIds.length > 0)
        throw new ConflictError(
          ErrorCode.CONFLICT,
          'Remove the relay interpreter and booth partners before the call’s own interpreter',
        );
      await locked.lock([
        ...this.lockTargets(current.facilityId, current.attorneyId, current.clientId, interpreterId),
        ...furtherIds.map((f) => `interpreter:${f}` as const),
      ]);
      const violations = await this.violations(
        locked,
        orgId,
        current.facilityId,
        {
          consultationId: current.id,
          attorneyId: current.attorneyId,
          clientId: current.clientId,
          interpreterId,
          language: current.language,
          startsAt,
          endsAt,
        },
        current.furtherInterpreters,
      );
      if (violations.length > 0) throw new BookingRefusedError(violations);
      const facility = await locked.facilityRules(orgId, current.facilityId);
      if (!facility) throw new NotFoundError('Facility');
      await locked.reschedule(id, {
        startsAt,
        endsAt,
        interpreterId,
        status: facility.confirmation.required ? 'REQUESTED' : 'SCHEDULED',
      });
      await appendSessionEvent(tx, {
        organizationId: orgId,
        consultationId: id,
        type: SessionEventType.RESCHEDULED,
        actorUserId: who.userId,
        actorRole: who.role,
        occurredAt: this.now(),
        payload: {
          fromStartsAt: current.startsAt.toISOString(),
          fromEndsAt: current.endsAt.toISOString(),
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          fromInterpreterId: current.interpreterId,
          interpreterId,
        },
      });
      if (!facility.confirmation.required) {
        await this.confirmations.closeInTx(tx, id);
        return;
      }
      const request = {
        organizationId: orgId,
        consultationId: id,
        facilityId: current.facilityId,
        startsAt,
        endsAt,
        linkOrigin,
        actor: { userId: who.userId, role: who.role },
      };
      if (await this.confirmations.acceptProposalInTx(tx, request)) {
        await locked.reschedule(id, { startsAt, endsAt, interpreterId, status: 'SCHEDULED' });
        return;
      }
      mail = await this.confirmations.openInTx(tx, {
        ...request,
        contactEmail: facility.confirmation.contactEmail,
      });
    });
    await this.confirmations.send(mail);
    return this.viewOrThrow(orgId, id);
  }

  /** Staff record that the facility confirmed the call another way (by phone). */
  async confirmByStaff(who: AccessClaims, id: string): Promise<ConsultationView> {
    await this.confirmations.confirmByStaff(who, id);
    return this.viewOrThrow(who.organizationId, id);
  }

  async cancel(who: AccessClaims, id: string, input: CancelConsultationRequest): Promise<ConsultationView> {
    const orgId = who.organizationId;
    await this.editLocked(orgId, id, async (tx, locked, current) => {
      await locked.setStatus(id, 'CANCELLED', input.reason);
      await this.confirmations.closeInTx(tx, id);
      await appendSessionEvent(tx, {
        organizationId: orgId,
        consultationId: id,
        type: SessionEventType.CANCELLED,
        actorUserId: who.userId,
        actorRole: who.role,
        occurredAt: this.now(),
        // The reason stays on the consultation; the log keeps metadata only.
        payload: { startsAt: current.startsAt.toISOString(), previousStatus: current.status },
      });
    });
    return this.viewOrThrow(orgId, id);
  }

  async suggestions(who: AccessClaims, query: SuggestionQuery): Promise<SuggestionResponse> {
    const orgId = who.organizationId;
    const repo = new SchedulingRepository(this.db);
    const theCase = await repo.caseForBooking(orgId, query.caseId);
    if (!theCase) throw new NotFoundError('Case');
    await this.assertAttorneyOnCase(repo, orgId, query.attorneyId, theCase.attorneyIds);
    const facilityId = query.facilityId ?? theCase.clientFacilityId;
    if (!facilityId) {
      throw new ValidationError('Choose a facility: the client has none on record', [
        { path: 'facilityId', message: 'Required when the client has no current facility' },
      ]);
    }
    const facility = await repo.facilityRules(orgId, facilityId);
    if (!facility) throw new NotFoundError('Facility');
    const language = query.language ?? theCase.preferredLanguage;
    const day = localDayBounds(query.date, facility.rules.timeZone);
    const week = localWeekBounds(day.start, facility.rules.timeZone);
    const from = new Date(Math.min(week.start, day.start - FACTS_MARGIN));
    const to = new Date(Math.max(week.end, day.end + FACTS_MARGIN));
    const interpreters = await repo.interpreterCandidates(
      orgId,
      language,
      new Date(day.start),
      new Date(day.end),
    );
    const consultations = await repo.consultationsTouching(
      orgId,
      {
        facilityId,
        attorneyId: query.attorneyId,
        clientId: theCase.clientId,
        interpreterIds: interpreters.map((i) => i.id),
      },
      from,
      to,
    );
    const result = suggestSlots({
      facility: facility.rules,
      date: query.date,
      durationMinutes: query.durationMinutes,
      stepMinutes: query.stepMinutes,
      language,
      attorneyId: query.attorneyId,
      clientId: theCase.clientId,
      consultations,
      interpreters,
      now: this.now(),
      ...(query.consultationId ? { excludeConsultationId: query.consultationId } : {}),
    });
    return {
      facility: { id: facilityId, name: facility.name, timeZone: facility.rules.timeZone },
      date: query.date,
      language,
      dayRefusal: result.dayRefusal,
      slots: result.slots.map((s) => ({
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        interpreters: s.interpreters,
      })),
    };
  }

  private async assertAttorneyOnCase(
    repo: SchedulingRepository,
    orgId: string,
    attorneyId: string,
    caseAttorneyIds: readonly string[],
  ): Promise<void> {
    if (!(await repo.activeUser(orgId, attorneyId, 'ATTORNEY'))) throw new NotFoundError('Attorney');
    if (!caseAttorneyIds.includes(attorneyId)) {
      throw new ConflictError(ErrorCode.ATTORNEY_NOT_ON_CASE, 'The attorney is not assigned to this case');
    }
  }

  private lockTargets(
    facilityId: string,
    attorneyId: string,
    clientId: string,
    interpreterId: string | null,
  ): LockTarget[] {
    return [
      `facility:${facilityId}`,
      `attorney:${attorneyId}`,
      `client:${clientId}`,
      ...(interpreterId ? [`interpreter:${interpreterId}` as const] : []),
    ];
  }

  /**
   * Reads the facts fresh (inside the locks) and applies the rules. `further`: the call's relay
   * interpreters and booth partners (a reschedule moves them too), each held to the same rules.
   */
  private async violations(
    repo: SchedulingRepository,
    orgId: string,
    facilityId: string,
    proposal: Parameters<typeof checkBooking>[0],
    further: ConsultationForEdit['furtherInterpreters'] = [],
  ): Promise<BookingViolation[]> {
    const facility = await repo.facilityRules(orgId, facilityId);
    if (!facility) throw new NotFoundError('Facility');
    const from = new Date(proposal.startsAt.getTime() - FACTS_MARGIN);
    const to = new Date(proposal.endsAt.getTime() + FACTS_MARGIN);
    const interpreter = proposal.interpreterId
      ? await repo.interpreterFacts(orgId, proposal.interpreterId, from, to)
      : null;
    if (proposal.interpreterId && !interpreter) throw new NotFoundError('Interpreter');
    const furtherInterpreters = await Promise.all(
      further.map(async (f): Promise<InterpreterFacts> => {
        const facts = await repo.interpreterFacts(orgId, f.interpreterId, from, to);
        // Deactivated since they were booked: they cannot be on the call at its new time.
        return facts ?? { id: f.interpreterId, languages: [], timeZone: 'UTC', weekly: [], exceptions: [] };
      }),
    );
    const consultations = await repo.consultationsTouching(
      orgId,
      {
        facilityId,
        attorneyId: proposal.attorneyId,
        clientId: proposal.clientId,
        interpreterIds: [
          ...(proposal.interpreterId ? [proposal.interpreterId] : []),
          ...further.map((f) => f.interpreterId),
        ],
      },
      from,
      to,
    );
    const violations = checkBooking(proposal, {
      facility: facility.rules,
      consultations,
      interpreter,
      furtherInterpreters,
      now: this.now(),
    });
    further.forEach((f, index) => {
      const missing = [f.languageA, f.languageB].filter(
        (l) => l !== 'en' && !furtherInterpreters[index]!.languages.includes(l),
      );
      if (missing.length > 0)
        violations.push({
          code: ErrorCode.INTERPRETER_LANGUAGE_MISMATCH,
          message: `The relay interpreter or booth partner does not interpret ${missing.join(' and ')}`,
        });
    });
    // With a relay the call's own interpreter covers the pivot and the client's language.
    const pivot = relayPivot(proposal.language, further);
    if (interpreter && pivot && !interpreter.languages.includes(pivot))
      violations.push({
        code: ErrorCode.INTERPRETER_LANGUAGE_MISMATCH,
        message: `The interpreter does not interpret ${pivot}, the relay’s pivot`,
      });
    return violations;
  }

  /** Runs an edit of a REQUESTED or SCHEDULED consultation under its lock; others are not editable. */
  private async editLocked(
    orgId: string,
    id: string,
    edit: (
      tx: Parameters<Parameters<Db['$transaction']>[0]>[0],
      locked: SchedulingRepository,
      current: ConsultationForEdit,
    ) => Promise<void>,
  ): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const locked = new SchedulingRepository(tx);
      await locked.lock([`consultation:${id}`]);
      const current = await locked.findForEdit(orgId, id);
      if (!current) throw new NotFoundError('Consultation');
      if (current.status !== 'SCHEDULED' && current.status !== 'REQUESTED') {
        throw new ConflictError(
          ErrorCode.CONSULTATION_NOT_EDITABLE,
          `A consultation that is ${current.status.toLowerCase().replace('_', ' ')} cannot be changed`,
        );
      }
      await edit(tx, locked, current);
    }, TX_OPTIONS);
  }

  private async freeKioskPin(repo: SchedulingRepository, facilityId: string): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
      if (!(await repo.kioskPinInUse(facilityId, pin))) return pin;
    }
    throw new AppError(ErrorCode.INTERNAL, 'Could not find a free kiosk PIN; please try again', 503);
  }

  private async viewOrThrow(orgId: string, id: string): Promise<ConsultationView> {
    const view = await new SchedulingRepository(this.db).view(orgId, id, { kind: 'all' });
    if (!view) throw new NotFoundError('Consultation');
    return view;
  }
}

/** The pivot of a booking's relay (the language between English and the client's), if it has one. */
export function relayPivot(
  clientLanguage: string,
  further: readonly { languageA: string; languageB: string }[],
): string | null {
  const relay = further.find((f) => f.languageA !== clientLanguage && f.languageB !== clientLanguage);
  if (!relay) return null;
  return relay.languageA === 'en' ? relay.languageB : relay.languageA;
}
