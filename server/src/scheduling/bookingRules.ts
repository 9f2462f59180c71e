import { ErrorCode } from '@parley/shared';
import {
  coveredBy,
  mergeIntervals,
  overlapsAny,
  saturatedIntervals,
  subtractIntervals,
  type Interval,
} from './intervals.ts';
import { expandWeeklyWindows, localDate, localDayBounds, type WeeklyWindow } from './localTime.ts';

/**
 * The booking rules, as one pure function of a proposal and the facts around it. The service
 * gathers the facts inside a locked transaction and calls this; suggestions reuse the same parts.
 */

/** Statuses that hold a booth, a person's time and a place in the daily limit. */
/** A REQUESTED call holds its booth and people while the facility is asked. */
export const BLOCKING_STATUSES = ['REQUESTED', 'SCHEDULED', 'IN_PROGRESS', 'COMPLETED'] as const;
export type ConsultationStatusName =
  'REQUESTED' | 'SCHEDULED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED' | 'NO_SHOW';

export interface FacilityRules {
  id: string;
  /** IANA zone the windows and blackout dates are stated in. */
  timeZone: string;
  booths: number;
  minLeadTimeMinutes: number;
  maxCallMinutes: number;
  dailyLimitPerAttorneyClient: number;
  windows: readonly WeeklyWindow[];
  /** Local calendar dates, YYYY-MM-DD. */
  blackoutDates: readonly string[];
  /** The organisation's booking horizon: no call starts more than this many days after `now`. */
  bookingHorizonDays: number;
}

export interface AvailabilityException {
  startsAt: Date;
  endsAt: Date;
  /** false blocks the time; true adds time outside the weekly pattern. */
  available: boolean;
}

export interface InterpreterFacts {
  id: string;
  languages: readonly string[];
  /** The zone the weekly availability is stated in. */
  timeZone: string;
  weekly: readonly WeeklyWindow[];
  exceptions: readonly AvailabilityException[];
}

export interface ExistingConsultation {
  id: string;
  facilityId: string;
  attorneyId: string;
  clientId: string;
  interpreterId: string | null;
  /**
   * Its further interpreters (relay, booth partners; issue 17): their time is taken as the
   * consultation's own interpreter's is. Absent: none.
   */
  furtherInterpreterIds?: readonly string[];
  startsAt: Date;
  endsAt: Date;
  status: ConsultationStatusName;
}

/** Every interpreter a consultation takes the time of: its own and its further ones. */
export function interpretersOf(
  c: Pick<ExistingConsultation, 'interpreterId' | 'furtherInterpreterIds'>,
): string[] {
  return [...(c.interpreterId ? [c.interpreterId] : []), ...(c.furtherInterpreterIds ?? [])];
}

export interface ProposedBooking {
  /** Set when rescheduling: the consultation does not conflict with itself. */
  consultationId?: string;
  attorneyId: string;
  clientId: string;
  interpreterId: string | null;
  language: string;
  startsAt: Date;
  endsAt: Date;
}

export interface BookingFacts {
  facility: FacilityRules;
  /** Consultations that may overlap the proposal or share its local day; others are ignored. */
  consultations: readonly ExistingConsultation[];
  /** The proposed interpreter's facts; null when the proposal names none. */
  interpreter: InterpreterFacts | null;
  /**
   * When moving a call that has further interpreters (relay, booth partners): their facts. Each
   * must be free and available for the whole new time, as the call's own interpreter must.
   */
  furtherInterpreters?: readonly InterpreterFacts[];
  now: Date;
}

export interface BookingViolation {
  code: ErrorCode;
  message: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The latest instant (ms) a call may start at, booked at `now`; later is BOOKING_TOO_FAR_AHEAD. */
export function latestBookableStart(facility: FacilityRules, now: Date): number {
  return now.getTime() + facility.bookingHorizonDays * DAY;
}

/** The refusal for a start beyond the organisation's booking horizon. */
export function tooFarAhead(facility: FacilityRules): BookingViolation {
  return {
    code: ErrorCode.BOOKING_TOO_FAR_AHEAD,
    message: `Calls can be booked at most ${facility.bookingHorizonDays} days ahead`,
  };
}

export function isBlocking(status: ConsultationStatusName): boolean {
  return (BLOCKING_STATUSES as readonly string[]).includes(status);
}

/** Formats minutes after midnight as HH:MM. */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Intervals of the facility's visiting windows around [fromMs, toMs), blackout days removed. */
export function facilityOpenIntervals(facility: FacilityRules, fromMs: number, toMs: number): Interval[] {
  const open = expandWeeklyWindows(facility.windows, facility.timeZone, fromMs, toMs);
  if (facility.blackoutDates.length === 0) return open;
  const closed = facility.blackoutDates.map((date) => localDayBounds(date, facility.timeZone));
  return subtractIntervals(open, mergeIntervals(closed));
}

/** When the interpreter can work around [fromMs, toMs): weekly pattern, plus and minus exceptions. */
export function interpreterAvailableIntervals(
  interpreter: InterpreterFacts,
  fromMs: number,
  toMs: number,
): Interval[] {
  const added: Interval[] = [];
  const blocked: Interval[] = [];
  for (const e of interpreter.exceptions) {
    const interval = { start: e.startsAt.getTime(), end: e.endsAt.getTime() };
    if (interval.end <= fromMs || interval.start >= toMs) continue;
    (e.available ? added : blocked).push(interval);
  }
  const weekly = expandWeeklyWindows(interpreter.weekly, interpreter.timeZone, fromMs, toMs);
  return subtractIntervals(mergeIntervals([...weekly, ...added]), mergeIntervals(blocked));
}

/**
 * Every rule the proposal breaks, in a stable order (facility rules first, then people). Empty
 * means it may be booked. Pure: the caller supplies `now`.
 */
export function checkBooking(proposal: ProposedBooking, facts: BookingFacts): BookingViolation[] {
  const { facility, interpreter } = facts;
  const start = proposal.startsAt.getTime();
  const end = proposal.endsAt.getTime();
  const zone = facility.timeZone;
  const violations: BookingViolation[] = [];
  const others = facts.consultations.filter((c) => c.id !== proposal.consultationId && isBlocking(c.status));
  const overlapping = others.filter((c) => c.startsAt.getTime() < end && c.endsAt.getTime() > start);

  const touchedDates = new Set([localDate(start, zone), localDate(Math.max(start, end - 1), zone)]);
  const blackout = facility.blackoutDates.find((d) => touchedDates.has(d));
  if (blackout) {
    violations.push({
      code: ErrorCode.FACILITY_BLACKOUT,
      message: `The facility takes no calls on ${blackout}`,
    });
  }

  const windows = expandWeeklyWindows(facility.windows, zone, start, end);
  if (!coveredBy(windows, start, end)) {
    violations.push({
      code: ErrorCode.OUTSIDE_VISITING_HOURS,
      message: 'The call must lie entirely within one of the facility’s visiting windows (facility time)',
    });
  }

  if (start - facts.now.getTime() < facility.minLeadTimeMinutes * MINUTE) {
    violations.push({
      code: ErrorCode.LEAD_TIME_TOO_SHORT,
      message: `The facility needs ${facility.minLeadTimeMinutes} minutes’ notice before a call`,
    });
  }

  if (start > latestBookableStart(facility, facts.now)) violations.push(tooFarAhead(facility));

  if (end - start > facility.maxCallMinutes * MINUTE) {
    violations.push({
      code: ErrorCode.CALL_TOO_LONG,
      message: `Calls at this facility last at most ${facility.maxCallMinutes} minutes`,
    });
  }

  const atFacility = overlapping.filter((c) => c.facilityId === facility.id);
  const full = saturatedIntervals(
    atFacility.map((c) => ({ start: c.startsAt.getTime(), end: c.endsAt.getTime() })),
    facility.booths,
  );
  if (overlapsAny(full, start, end)) {
    violations.push({
      code: ErrorCode.BOOTH_UNAVAILABLE,
      message: `All ${facility.booths} video booths are in use at some point of that time`,
    });
  }

  if (overlapping.some((c) => c.attorneyId === proposal.attorneyId)) {
    violations.push({
      code: ErrorCode.ATTORNEY_DOUBLE_BOOKED,
      message: 'The attorney already has a call at that time',
    });
  }
  const busyInterpreters = new Set(overlapping.flatMap(interpretersOf));
  if (proposal.interpreterId && busyInterpreters.has(proposal.interpreterId)) {
    violations.push({
      code: ErrorCode.INTERPRETER_DOUBLE_BOOKED,
      message: 'The interpreter already has a call at that time',
    });
  }
  const further = facts.furtherInterpreters ?? [];
  if (further.some((f) => busyInterpreters.has(f.id))) {
    violations.push({
      code: ErrorCode.INTERPRETER_DOUBLE_BOOKED,
      message: 'A relay interpreter or booth partner of this call already has a call at that time',
    });
  }
  if (overlapping.some((c) => c.clientId === proposal.clientId)) {
    violations.push({
      code: ErrorCode.CLIENT_DOUBLE_BOOKED,
      message: 'The client already has a call at that time',
    });
  }

  const day = localDate(start, zone);
  const sameDay = others.filter(
    (c) =>
      c.attorneyId === proposal.attorneyId &&
      c.clientId === proposal.clientId &&
      localDate(c.startsAt.getTime(), zone) === day,
  ).length;
  if (sameDay >= facility.dailyLimitPerAttorneyClient) {
    violations.push({
      code: ErrorCode.DAILY_LIMIT_REACHED,
      message: `This attorney may hold ${facility.dailyLimitPerAttorneyClient} call(s) a day with this client at this facility (${day})`,
    });
  }

  if (interpreter) {
    if (!interpreter.languages.includes(proposal.language)) {
      violations.push({
        code: ErrorCode.INTERPRETER_LANGUAGE_MISMATCH,
        message: `The interpreter does not interpret ${proposal.language}`,
      });
    }
    if (!coveredBy(interpreterAvailableIntervals(interpreter, start, end), start, end)) {
      violations.push({
        code: ErrorCode.INTERPRETER_UNAVAILABLE,
        message: 'The interpreter is not available for the whole call',
      });
    }
  }
  if (further.some((f) => !coveredBy(interpreterAvailableIntervals(f, start, end), start, end))) {
    violations.push({
      code: ErrorCode.INTERPRETER_UNAVAILABLE,
      message: 'A relay interpreter or booth partner of this call is not available for the whole call',
    });
  }
  return violations;
}
