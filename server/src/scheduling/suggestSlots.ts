import { ErrorCode } from '@parley/shared';
import {
  facilityOpenIntervals,
  interpreterAvailableIntervals,
  interpretersOf,
  isBlocking,
  latestBookableStart,
  tooFarAhead,
  type BookingViolation,
  type ExistingConsultation,
  type FacilityRules,
  type InterpreterFacts,
} from './bookingRules.ts';
import {
  coveredBy,
  mergeIntervals,
  overlapsAny,
  saturatedIntervals,
  subtractIntervals,
  type Interval,
} from './intervals.ts';
import { localDayBounds, localWeekBounds } from './localTime.ts';

/** An interpreter the suggestions may propose. */
export interface InterpreterCandidate extends InterpreterFacts {
  name: string;
}

export interface SuggestionRequest {
  facility: FacilityRules;
  /** The facility's local calendar date, YYYY-MM-DD. */
  date: string;
  durationMinutes: number;
  /** Slots start every `stepMinutes` from the start of each visiting window. */
  stepMinutes: number;
  language: string;
  attorneyId: string;
  clientId: string;
  /**
   * Consultations to respect: any superset of the day (a whole month is fine; it is scanned once).
   * Those of the facility's week also rank interpreters by hours already booked.
   */
  consultations: readonly ExistingConsultation[];
  interpreters: readonly InterpreterCandidate[];
  now: Date;
  /** When rescheduling: the consultation being moved does not block itself. */
  excludeConsultationId?: string;
}

export interface RankedInterpreter {
  id: string;
  name: string;
  /** Minutes of consultations already booked in the facility's week of the slot. */
  bookedMinutesThisWeek: number;
}

export interface SuggestedSlot {
  startsAt: Date;
  endsAt: Date;
  /** Interpreters who cover the language and are free for the whole slot, least booked first. */
  interpreters: RankedInterpreter[];
}

export interface SuggestionResult {
  slots: SuggestedSlot[];
  /** Why the whole day is closed, when a day-wide rule closes it. */
  dayRefusal: BookingViolation | null;
}

const MINUTE = 60_000;

/** Languages a call can be held in without an interpreter. */
const NO_INTERPRETER_LANGUAGES = new Set(['en']);

/**
 * Open slots for one facility day: visiting window ∩ a free booth ∩ attorney and client free ∩ at
 * least one interpreter of the language free and available. Every suggested slot passes
 * `checkBooking` with any interpreter it lists. One pass over the consultations, then O(log n) per
 * slot and interpreter: no pairwise comparison of bookings.
 */
export function suggestSlots(request: SuggestionRequest): SuggestionResult {
  const { facility, date, durationMinutes, language, attorneyId, clientId } = request;
  const zone = facility.timeZone;
  const duration = durationMinutes * MINUTE;
  const empty = (violation: BookingViolation): SuggestionResult => ({ slots: [], dayRefusal: violation });

  if (facility.blackoutDates.includes(date)) {
    return empty({ code: ErrorCode.FACILITY_BLACKOUT, message: `The facility takes no calls on ${date}` });
  }
  if (durationMinutes > facility.maxCallMinutes) {
    return empty({
      code: ErrorCode.CALL_TOO_LONG,
      message: `Calls at this facility last at most ${facility.maxCallMinutes} minutes`,
    });
  }

  const day = localDayBounds(date, zone);
  const latestStart = latestBookableStart(facility, request.now);
  if (day.start > latestStart) return empty(tooFarAhead(facility));
  const week = localWeekBounds(day.start, zone);
  const facilityBusy: Interval[] = [];
  const attorneyBusy: Interval[] = [];
  const clientBusy: Interval[] = [];
  const interpreterBusy = new Map<string, Interval[]>();
  const weekMinutes = new Map<string, number>();
  let sameDayWithClient = 0;

  for (const c of request.consultations) {
    if (c.id === request.excludeConsultationId || !isBlocking(c.status)) continue;
    const start = c.startsAt.getTime();
    const end = c.endsAt.getTime();
    // A relay or booth partner's time counts as the call's own interpreter's (issue 17).
    const interpreterIds = interpretersOf(c);
    if (start >= week.start && start < week.end) {
      for (const id of interpreterIds)
        weekMinutes.set(id, (weekMinutes.get(id) ?? 0) + (end - start) / MINUTE);
    }
    if (start >= day.start && start < day.end && c.attorneyId === attorneyId && c.clientId === clientId) {
      sameDayWithClient++;
    }
    if (end <= day.start || start >= day.end) continue;
    const interval = { start, end };
    if (c.facilityId === facility.id) facilityBusy.push(interval);
    if (c.attorneyId === attorneyId) attorneyBusy.push(interval);
    if (c.clientId === clientId) clientBusy.push(interval);
    for (const id of interpreterIds) {
      const list = interpreterBusy.get(id);
      if (list) list.push(interval);
      else interpreterBusy.set(id, [interval]);
    }
  }

  if (sameDayWithClient >= facility.dailyLimitPerAttorneyClient) {
    return empty({
      code: ErrorCode.DAILY_LIMIT_REACHED,
      message: `This attorney already has ${sameDayWithClient} call(s) with this client on ${date}`,
    });
  }

  const boothsFull = saturatedIntervals(facilityBusy, facility.booths);
  const attorneyTaken = mergeIntervals(attorneyBusy);
  const clientTaken = mergeIntervals(clientBusy);
  const needsInterpreter = !NO_INTERPRETER_LANGUAGES.has(language);

  const candidates = request.interpreters
    .filter((i) => i.languages.includes(language))
    .map((i) => ({
      ranked: { id: i.id, name: i.name, bookedMinutesThisWeek: weekMinutes.get(i.id) ?? 0 },
      free: subtractIntervals(
        interpreterAvailableIntervals(i, day.start, day.end),
        mergeIntervals(interpreterBusy.get(i.id) ?? []),
      ),
    }))
    .sort(
      (a, b) =>
        a.ranked.bookedMinutesThisWeek - b.ranked.bookedMinutesThisWeek ||
        a.ranked.name.localeCompare(b.ranked.name) ||
        a.ranked.id.localeCompare(b.ranked.id),
    );

  const earliest = request.now.getTime() + facility.minLeadTimeMinutes * MINUTE;
  const step = Math.max(1, request.stepMinutes) * MINUTE;
  const slots: SuggestedSlot[] = [];
  for (const window of facilityOpenIntervals(facility, day.start, day.end)) {
    for (let start = window.start; start + duration <= window.end; start += step) {
      if (start < day.start || start >= day.end || start < earliest || start > latestStart) continue;
      const end = start + duration;
      if (overlapsAny(boothsFull, start, end)) continue;
      if (overlapsAny(attorneyTaken, start, end) || overlapsAny(clientTaken, start, end)) continue;
      const interpreters = candidates.filter((c) => coveredBy(c.free, start, end)).map((c) => c.ranked);
      if (needsInterpreter && interpreters.length === 0) continue;
      slots.push({ startsAt: new Date(start), endsAt: new Date(end), interpreters });
    }
  }
  return { slots, dayRefusal: null };
}
