import {
  ErrorCode,
  type AddInterpreterRequest,
  type BookedInterpreterView,
  type BookedInterpretersResponse,
  type LanguageCode,
  type RelayPairView,
  type RelaySuggestionQuery,
  type RelaySuggestionResponse,
} from '@parley/shared';
import type { AccessClaims } from '../auth/tokens.ts';
import { ATTORNEY_LANGUAGE } from '../calls/LiveCall.ts';
import { bookedInterpreters } from '../calls/bookedInterpreters.ts';
import type { Db } from '../db/types.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/AppError.ts';
import type { Logger } from '../logger.ts';
import { BookingRefusedError, BookingService } from './BookingService.ts';
import { interpreterAvailableIntervals, isBlocking, type BookingViolation } from './bookingRules.ts';
import { coveredBy } from './intervals.ts';
import { interpreterRoles } from './interpreterRoles.ts';
import { SchedulingRepository } from './SchedulingRepository.ts';
import { appendSessionEvent } from '../sessionLog/appendSessionEvent.ts';

const MINUTE = 60_000;
/** Wide enough for any call overlapping the one checked. */
const FACTS_MARGIN = 40 * 60 * MINUTE;
const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;
/** Pairs offered per slot, least booked first. */
const PAIRS_PER_SLOT = 5;

const bookingSelect = {
  id: true,
  organizationId: true,
  status: true,
  language: true,
  startsAt: true,
  endsAt: true,
  attorneyId: true,
  interpreterId: true,
  interpreter: { select: { name: true } },
  furtherInterpreters: {
    select: {
      interpreterId: true,
      languageA: true,
      languageB: true,
      interpreter: { select: { name: true } },
    },
    orderBy: { createdAt: 'asc' },
  },
} as const;

/**
 * Further interpreters of a booking (issue 17): a relay through a pivot language, and booth
 * partners. Each change runs under the consultation's and the interpreter's advisory locks (the
 * same keys bookings take), re-reads the facts and checks the interpreter covers the languages,
 * is available for the whole call and has no other call then — as the consultation's own or a
 * further interpreter. Refusals are 409s with the booking rules' codes; nothing is changed.
 */
export class FurtherInterpreters {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every interpreter of the booking with their pair: staff, its attorney, its interpreters. */
  async list(who: AccessClaims, consultationId: string): Promise<BookedInterpretersResponse> {
    const booking = await this.db.consultation.findFirst({
      where: { id: consultationId, organizationId: who.organizationId },
      select: bookingSelect,
    });
    if (!booking) throw new NotFoundError('Consultation');
    const onIt =
      who.userId === booking.attorneyId ||
      who.userId === booking.interpreterId ||
      booking.furtherInterpreters.some((f) => f.interpreterId === who.userId);
    // Not revealing that the consultation exists to someone who is not on it.
    if (who.role !== 'ADMIN' && who.role !== 'STAFF' && !onIt) throw new NotFoundError('Consultation');
    return { consultationId, interpreters: views(booking) };
  }

  async add(
    who: AccessClaims,
    consultationId: string,
    input: AddInterpreterRequest,
  ): Promise<BookedInterpretersResponse> {
    const orgId = who.organizationId;
    await this.db.$transaction(async (tx) => {
      const locked = new SchedulingRepository(tx);
      // The consultation's lock first, as a reschedule takes it: no cycle of waits between the two.
      await locked.lock([`consultation:${consultationId}`]);
      await locked.lock([`interpreter:${input.interpreterId}`]);
      const booking = await tx.consultation.findFirst({
        where: { id: consultationId, organizationId: orgId },
        select: bookingSelect,
      });
      if (!booking) throw new NotFoundError('Consultation');
      assertEditable(booking.status);
      if (!booking.interpreterId)
        throw new ConflictError(ErrorCode.CONFLICT, 'Book the consultation’s own interpreter first');
      const onIt = new Set([
        booking.interpreterId,
        ...booking.furtherInterpreters.map((f) => f.interpreterId),
      ]);
      if (onIt.has(input.interpreterId))
        throw new ConflictError(ErrorCode.CONFLICT, 'This interpreter is on the booking already');
      const from = new Date(booking.startsAt.getTime() - FACTS_MARGIN);
      const to = new Date(booking.endsAt.getTime() + FACTS_MARGIN);
      const facts = await locked.interpreterFacts(orgId, input.interpreterId, from, to);
      if (!facts) throw new NotFoundError('Interpreter');
      const booked = bookedInterpreters(booking);
      const client = booking.language as LanguageCode;
      let pair: [LanguageCode, LanguageCode];
      const violations: BookingViolation[] = [];
      if (input.kind === 'RELAY') {
        const pivot = input.pivotLanguage!;
        if (pivot === client)
          throw new ValidationError('The pivot is another language than the client’s', [
            { path: 'pivotLanguage', message: 'Choose a language between English and the client’s' },
          ]);
        if (booked.some((b) => !b.pair.includes(ATTORNEY_LANGUAGE) || !b.pair.includes(client)))
          throw new ConflictError(ErrorCode.CONFLICT, 'This booking has a relay already');
        if (booked.length > 1)
          throw new ConflictError(ErrorCode.CONFLICT, 'Add the relay before any booth partner');
        const first = await locked.interpreterFacts(orgId, booking.interpreterId, from, to);
        if (!first?.languages.includes(pivot))
          violations.push({
            code: ErrorCode.INTERPRETER_LANGUAGE_MISMATCH,
            message: `The consultation’s interpreter does not interpret ${pivot}, the pivot`,
          });
        if (!facts.languages.includes(pivot))
          violations.push({
            code: ErrorCode.INTERPRETER_LANGUAGE_MISMATCH,
            message: `The relay interpreter does not interpret ${pivot}`,
          });
        pair = [ATTORNEY_LANGUAGE, pivot];
      } else {
        const partnerOf = input.partnerOf ?? booking.interpreterId;
        const target = booked.find((b) => b.id === partnerOf);
        if (!target)
          throw new ValidationError('A booth partner relieves an interpreter of this booking', [
            { path: 'partnerOf', message: 'Not an interpreter of this booking' },
          ]);
        pair = target.pair;
        const missing = pair.filter((l) => l !== ATTORNEY_LANGUAGE && !facts.languages.includes(l));
        if (missing.length > 0)
          violations.push({
            code: ErrorCode.INTERPRETER_LANGUAGE_MISMATCH,
            message: `The interpreter does not interpret ${missing.join(' and ')}`,
          });
      }
      const start = booking.startsAt.getTime();
      const end = booking.endsAt.getTime();
      if (!coveredBy(interpreterAvailableIntervals(facts, start, end), start, end))
        violations.push({
          code: ErrorCode.INTERPRETER_UNAVAILABLE,
          message: 'The interpreter is not available for the whole call',
        });
      if (await this.busy(tx, orgId, input.interpreterId, booking.startsAt, booking.endsAt, consultationId))
        violations.push({
          code: ErrorCode.INTERPRETER_DOUBLE_BOOKED,
          message: 'The interpreter already has a call at that time',
        });
      if (violations.length > 0) throw new BookingRefusedError(violations);
      await tx.consultationInterpreter.create({
        data: {
          organizationId: orgId,
          consultationId,
          interpreterId: input.interpreterId,
          languageA: pair[0],
          languageB: pair[1],
        },
      });
      await appendSessionEvent(tx, {
        organizationId: orgId,
        consultationId,
        type: 'FURTHER_INTERPRETER_ADDED',
        actorUserId: who.userId,
        actorRole: who.role,
        occurredAt: this.now(),
        payload: {
          interpreterId: input.interpreterId,
          kind: input.kind,
          languageA: pair[0],
          languageB: pair[1],
        },
      });
    }, TX_OPTIONS);
    this.logger.info({ consultationId, kind: input.kind }, 'further interpreter booked');
    return this.list(who, consultationId);
  }

  async remove(
    who: AccessClaims,
    consultationId: string,
    interpreterId: string,
  ): Promise<BookedInterpretersResponse> {
    await this.db.$transaction(async (tx) => {
      const locked = new SchedulingRepository(tx);
      await locked.lock([`consultation:${consultationId}`]);
      const booking = await tx.consultation.findFirst({
        where: { id: consultationId, organizationId: who.organizationId },
        select: bookingSelect,
      });
      if (!booking) throw new NotFoundError('Consultation');
      assertEditable(booking.status);
      const role = interpreterRoles(booking).find((r) => r.interpreterId === interpreterId);
      const removed = await tx.consultationInterpreter.deleteMany({
        where: { consultationId, interpreterId },
      });
      if (removed.count === 0 || !role || role.kind === 'FIRST')
        throw new NotFoundError('Further interpreter');
      await appendSessionEvent(tx, {
        organizationId: who.organizationId,
        consultationId,
        type: 'FURTHER_INTERPRETER_REMOVED',
        actorUserId: who.userId,
        actorRole: who.role,
        occurredAt: this.now(),
        payload: { interpreterId, kind: role.kind },
      });
    }, TX_OPTIONS);
    return this.list(who, consultationId);
  }

  /** Has another call overlapping [startsAt, endsAt), as its own or a further interpreter. */
  private async busy(
    tx: Parameters<Parameters<Db['$transaction']>[0]>[0],
    organizationId: string,
    interpreterId: string,
    startsAt: Date,
    endsAt: Date,
    exceptId: string,
  ): Promise<boolean> {
    const overlapping = await tx.consultation.findMany({
      where: {
        organizationId,
        id: { not: exceptId },
        startsAt: { lt: endsAt },
        endsAt: { gt: startsAt },
        OR: [{ interpreterId }, { furtherInterpreters: { some: { interpreterId } } }],
      },
      select: { status: true },
    });
    return overlapping.some((c) => isBlocking(c.status));
  }

  /**
   * Slots where a relay pair is free together: one interpreter of the client's language and the
   * pivot (the consultation's own) and one of the pivot (English is every interpreter's), each
   * free for the whole slot — of their own calls and of the ones they relay or partner on.
   */
  async relaySuggestions(who: AccessClaims, query: RelaySuggestionQuery): Promise<RelaySuggestionResponse> {
    const bookings = new BookingService(this.db, this.logger);
    const clientSide = await bookings.suggestions(who, query);
    if (query.pivotLanguage === clientSide.language)
      throw new ValidationError('The pivot is another language than the client’s', [
        { path: 'pivotLanguage', message: 'Choose a language between English and the client’s' },
      ]);
    const pivotSide = await bookings.suggestions(who, { ...query, language: query.pivotLanguage });
    const pivotSlots = new Map(pivotSide.slots.map((s) => [s.startsAt, s]));
    const candidateIds = [...new Set(clientSide.slots.flatMap((s) => s.interpreters.map((i) => i.id)))];
    const speakers = await this.db.user.findMany({
      where: { id: { in: candidateIds }, organizationId: who.organizationId },
      select: { id: true, languages: true },
    });
    const speaksPivot = new Set(
      speakers.filter((u) => u.languages.includes(query.pivotLanguage)).map((u) => u.id),
    );
    const slots = clientSide.slots.flatMap((slot) => {
      const pivotSlot = pivotSlots.get(slot.startsAt);
      if (!pivotSlot) return [];
      // Both sides' suggestions count every interpreter's own calls and those they relay or partner on.
      const firsts = slot.interpreters.filter((i) => speaksPivot.has(i.id));
      const relays = pivotSlot.interpreters;
      const pairs: RelayPairView[] = firsts
        .flatMap((a) =>
          relays
            .filter((b) => b.id !== a.id)
            .map((b) => ({
              interpreter: { id: a.id, name: a.name },
              relay: { id: b.id, name: b.name },
              bookedMinutesThisWeek: a.bookedMinutesThisWeek + b.bookedMinutesThisWeek,
            })),
        )
        .sort(
          (x, y) =>
            x.bookedMinutesThisWeek - y.bookedMinutesThisWeek ||
            x.interpreter.name.localeCompare(y.interpreter.name) ||
            x.relay.name.localeCompare(y.relay.name),
        )
        .slice(0, PAIRS_PER_SLOT);
      return pairs.length > 0 ? [{ startsAt: slot.startsAt, endsAt: slot.endsAt, pairs }] : [];
    });
    return {
      facility: clientSide.facility,
      date: clientSide.date,
      language: clientSide.language,
      pivotLanguage: query.pivotLanguage,
      slots,
      dayRefusal: clientSide.dayRefusal,
    };
  }
}

function assertEditable(status: string): void {
  if (status !== 'SCHEDULED' && status !== 'REQUESTED')
    throw new ConflictError(
      ErrorCode.CONSULTATION_NOT_EDITABLE,
      `A consultation that is ${status.toLowerCase().replace('_', ' ')} cannot be changed`,
    );
}

function views(booking: {
  interpreterId: string | null;
  language: string;
  interpreter: { name: string } | null;
  furtherInterpreters: {
    interpreterId: string;
    languageA: string;
    languageB: string;
    interpreter: { name: string };
  }[];
}): BookedInterpreterView[] {
  const names = new Map<string, string>(
    booking.furtherInterpreters.map((f) => [f.interpreterId, f.interpreter.name]),
  );
  if (booking.interpreterId && booking.interpreter)
    names.set(booking.interpreterId, booking.interpreter.name);
  return interpreterRoles(booking).map((r) => ({
    interpreterId: r.interpreterId,
    name: names.get(r.interpreterId) ?? '',
    pair: r.pair,
    kind: r.kind,
  }));
}

/** Refuses a role that may not book (the routes check it first; this keeps the service honest). */
export function assertStaff(who: AccessClaims): void {
  if (who.role !== 'ADMIN' && who.role !== 'STAFF')
    throw new ForbiddenError(ErrorCode.FORBIDDEN_ROLE, 'Only staff can change who interprets a call');
}
