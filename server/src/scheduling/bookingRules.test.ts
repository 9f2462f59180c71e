import { describe, expect, it } from 'vitest';
import {
  checkBooking,
  type BookingFacts,
  type ExistingConsultation,
  type FacilityRules,
  type InterpreterFacts,
  type ProposedBooking,
} from './bookingRules.ts';
import { expandWeeklyWindows, localDayBounds } from './localTime.ts';

const HOUR = 3_600_000;
const WEEKDAYS = [1, 2, 3, 4, 5];

/** Adams-like facility: weekdays 08:00–11:30 and 13:00–16:30 in Chicago, 2 booths. */
function facility(patch: Partial<FacilityRules> = {}): FacilityRules {
  return {
    id: 'fac-1',
    timeZone: 'America/Chicago',
    booths: 2,
    minLeadTimeMinutes: 24 * 60,
    maxCallMinutes: 60,
    dailyLimitPerAttorneyClient: 1,
    windows: WEEKDAYS.flatMap((weekday) => [
      { weekday, startMinute: 8 * 60, endMinute: 11 * 60 + 30 },
      { weekday, startMinute: 13 * 60, endMinute: 16 * 60 + 30 },
    ]),
    blackoutDates: [],
    bookingHorizonDays: 365,
    ...patch,
  };
}

function interpreter(patch: Partial<InterpreterFacts> = {}): InterpreterFacts {
  return {
    id: 'int-1',
    languages: ['es', 'pt'],
    timeZone: 'America/Chicago',
    weekly: WEEKDAYS.map((weekday) => ({ weekday, startMinute: 8 * 60, endMinute: 17 * 60 })),
    exceptions: [],
    ...patch,
  };
}

function proposal(startIso: string, minutes = 60, patch: Partial<ProposedBooking> = {}): ProposedBooking {
  const startsAt = new Date(startIso);
  return {
    attorneyId: 'att-1',
    clientId: 'cli-1',
    interpreterId: 'int-1',
    language: 'es',
    startsAt,
    endsAt: new Date(startsAt.getTime() + minutes * 60_000),
    ...patch,
  };
}

let nextId = 0;
function existing(startIso: string, minutes: number, patch: Partial<ExistingConsultation> = {}) {
  const startsAt = new Date(startIso);
  const row: ExistingConsultation = {
    id: `c-${++nextId}`,
    facilityId: 'fac-1',
    attorneyId: 'att-other',
    clientId: 'cli-other',
    interpreterId: 'int-other',
    startsAt,
    endsAt: new Date(startsAt.getTime() + minutes * 60_000),
    status: 'SCHEDULED',
    ...patch,
  };
  return row;
}

function facts(patch: Partial<BookingFacts> = {}): BookingFacts {
  return {
    facility: facility(),
    consultations: [],
    interpreter: interpreter(),
    now: new Date('2026-01-01T00:00:00Z'),
    ...patch,
  };
}

const codes = (p: ProposedBooking, f: BookingFacts = facts()) => checkBooking(p, f).map((v) => v.code);

describe('a booking that breaks nothing', () => {
  it('is accepted with no violations', () => {
    // Tuesday 2026-01-13 09:00 CST = 15:00 UTC.
    expect(checkBooking(proposal('2026-01-13T15:00:00Z'), facts())).toEqual([]);
  });
});

describe('visiting windows in the facility’s zone', () => {
  it('places an 08:00–11:30 window at 14:00–17:30 UTC in CST and 13:00–16:30 UTC in CDT', () => {
    const cst = expandWeeklyWindows(
      facility().windows,
      'America/Chicago',
      Date.parse('2026-03-06T06:00Z'),
      Date.parse('2026-03-06T12:00:00Z') + HOUR * 12,
    );
    expect(cst[0]).toEqual({ start: Date.parse('2026-03-06T14:00Z'), end: Date.parse('2026-03-06T17:30Z') });
    const cdt = expandWeeklyWindows(
      facility().windows,
      'America/Chicago',
      Date.parse('2026-03-09T06:00Z'),
      Date.parse('2026-03-10T00:00Z'),
    );
    expect(cdt[0]).toEqual({ start: Date.parse('2026-03-09T13:00Z'), end: Date.parse('2026-03-09T16:30Z') });
  });

  it('accepts 08:00 local on the Friday before and the Monday after the spring-forward change', () => {
    expect(codes(proposal('2026-03-06T14:00:00Z'))).toEqual([]); // 08:00 CST
    expect(codes(proposal('2026-03-09T13:00:00Z'))).toEqual([]); // 08:00 CDT
  });

  it('refuses the same UTC hour when it is 07:00 local (before the window) in CST', () => {
    expect(codes(proposal('2026-03-06T13:00:00Z'), facts({ interpreter: null }))).toEqual([
      'OUTSIDE_VISITING_HOURS',
    ]);
  });

  it('refuses an hour that runs past 11:30 local in CDT but not the same UTC hour in CST', () => {
    // 16:00–17:00 UTC is 11:00–12:00 CDT on 2026-03-09: runs past the 11:30 window end.
    expect(codes(proposal('2026-03-09T16:00:00Z'))).toEqual(['OUTSIDE_VISITING_HOURS']);
    // The same UTC time a week earlier is 10:00–11:00 CST: inside.
    expect(codes(proposal('2026-03-02T16:00:00Z'))).toEqual([]);
  });

  it('refuses a call straddling the lunch gap between two windows', () => {
    // 11:00–12:00 CST falls partly outside both windows.
    expect(codes(proposal('2026-01-13T17:00:00Z'))).toEqual(['OUTSIDE_VISITING_HOURS']);
  });

  it('accepts a call across touching windows, which form one window', () => {
    const f = facility({
      windows: [
        { weekday: 2, startMinute: 8 * 60, endMinute: 11 * 60 + 30 },
        { weekday: 2, startMinute: 11 * 60 + 30, endMinute: 16 * 60 + 30 },
      ],
    });
    expect(codes(proposal('2026-01-13T17:00:00Z'), facts({ facility: f }))).toEqual([]);
  });

  it('refuses weekends when the facility only has weekday windows', () => {
    // Saturday 2026-01-17 09:00 CST.
    expect(codes(proposal('2026-01-17T15:00:00Z'), facts({ interpreter: null }))).toEqual([
      'OUTSIDE_VISITING_HOURS',
    ]);
  });

  it('gives the fall-back day (2026-11-01) 25 hours and the spring-forward day 23', () => {
    const allDay = [{ weekday: 0, startMinute: 0, endMinute: 1440 }];
    const fallBack = localDayBounds('2026-11-01', 'America/Chicago');
    expect(fallBack.end - fallBack.start).toBe(25 * HOUR);
    const [window] = expandWeeklyWindows(allDay, 'America/Chicago', fallBack.start, fallBack.end);
    expect(window).toEqual({ start: Date.parse('2026-11-01T05:00Z'), end: Date.parse('2026-11-02T06:00Z') });
    const spring = localDayBounds('2026-03-08', 'America/Chicago');
    expect(spring.end - spring.start).toBe(23 * HOUR);
  });

  it('counts the repeated 01:00–02:00 hour of the fall-back day as inside a 00:00–03:00 window', () => {
    const f = facility({ windows: [{ weekday: 0, startMinute: 0, endMinute: 180 }], maxCallMinutes: 240 });
    // 06:00Z = 01:00 CDT, 07:00Z = 01:00 CST (again), 09:00Z = 03:00 CST: the window is 4 h long.
    expect(codes(proposal('2026-11-01T06:00:00Z', 60), facts({ facility: f, interpreter: null }))).toEqual(
      [],
    );
    expect(codes(proposal('2026-11-01T07:00:00Z', 120), facts({ facility: f, interpreter: null }))).toEqual(
      [],
    );
    expect(codes(proposal('2026-11-01T08:30:00Z', 60), facts({ facility: f, interpreter: null }))).toEqual([
      'OUTSIDE_VISITING_HOURS',
    ]);
  });

  it('treats a window inside the skipped spring-forward hour as empty', () => {
    const f = facility({ windows: [{ weekday: 0, startMinute: 120, endMinute: 180 }] });
    const day = localDayBounds('2026-03-08', 'America/Chicago');
    expect(expandWeeklyWindows(f.windows, f.timeZone, day.start, day.end)).toEqual([]);
    // 08:00Z is 03:00 CDT on 2026-03-08; 07:30Z would be 01:30 CST.
    expect(codes(proposal('2026-03-08T07:30:00Z', 30), facts({ facility: f, interpreter: null }))).toEqual([
      'OUTSIDE_VISITING_HOURS',
    ]);
  });

  it('keeps a Sunday window at its local hours on both DST change days', () => {
    const f = facility({ windows: [{ weekday: 0, startMinute: 9 * 60, endMinute: 12 * 60 }] });
    const noInterpreter = facts({ facility: f, interpreter: null });
    expect(codes(proposal('2026-03-08T14:00:00Z'), noInterpreter)).toEqual([]); // 09:00 CDT
    expect(codes(proposal('2026-03-08T15:00:00Z'), noInterpreter)).toEqual([]); // 10:00 CDT
    expect(codes(proposal('2026-03-08T17:00:00Z'), noInterpreter)).toEqual(['OUTSIDE_VISITING_HOURS']); // 12:00 CDT
    expect(codes(proposal('2026-11-01T15:00:00Z'), noInterpreter)).toEqual([]); // 09:00 CST
    expect(codes(proposal('2026-11-01T14:00:00Z'), noInterpreter)).toEqual(['OUTSIDE_VISITING_HOURS']); // 08:00 CST
  });

  it('uses Phoenix time, which has no DST, for a facility in Arizona', () => {
    const phoenix = facility({ timeZone: 'America/Phoenix' });
    const f = facts({ facility: phoenix, interpreter: null });
    // 08:00 MST = 15:00 UTC all year.
    expect(codes(proposal('2026-01-13T15:00:00Z'), f)).toEqual([]);
    expect(codes(proposal('2026-07-14T15:00:00Z'), f)).toEqual([]);
    // 14:00 UTC is 07:00 in Phoenix in both seasons (and would be 09:00 CDT in Chicago).
    expect(codes(proposal('2026-07-14T14:00:00Z'), f)).toEqual(['OUTSIDE_VISITING_HOURS']);
    expect(codes(proposal('2026-07-14T14:00:00Z'), facts({ interpreter: null }))).toEqual([]);
  });

  it('uses New York time for a facility there, and its own DST dates', () => {
    const ny = facility({ timeZone: 'America/New_York' });
    const f = facts({ facility: ny, interpreter: null });
    expect(codes(proposal('2026-03-09T12:00:00Z'), f)).toEqual([]); // 08:00 EDT
    expect(codes(proposal('2026-03-06T12:00:00Z'), f)).toEqual(['OUTSIDE_VISITING_HOURS']); // 07:00 EST
    expect(codes(proposal('2026-03-06T13:00:00Z'), f)).toEqual([]); // 08:00 EST
  });
});

describe('lead time and length', () => {
  const call = proposal('2026-01-13T15:00:00Z');
  it('refuses a call less than the lead time ahead, and accepts one exactly at it', () => {
    expect(codes(call, facts({ now: new Date('2026-01-12T15:00:01Z') }))).toEqual(['LEAD_TIME_TOO_SHORT']);
    expect(codes(call, facts({ now: new Date('2026-01-12T15:00:00Z') }))).toEqual([]);
  });

  it('refuses a call in the past', () => {
    expect(codes(call, facts({ now: new Date('2026-02-01T00:00:00Z') }))).toEqual(['LEAD_TIME_TOO_SHORT']);
  });

  it('refuses a call that starts past the booking horizon and accepts one exactly at it', () => {
    // Tuesday 2026-01-13 15:00 UTC; a 30-day horizon from 2025-12-14T15:00Z reaches exactly there.
    const horizon = facility({ bookingHorizonDays: 30 });
    const atHorizon = facts({ facility: horizon, now: new Date('2025-12-14T15:00:00Z') });
    expect(codes(call, atHorizon)).toEqual([]);
    const justPast = facts({ facility: horizon, now: new Date('2025-12-14T14:59:59.999Z') });
    expect(codes(call, justPast)).toEqual(['BOOKING_TOO_FAR_AHEAD']);
    expect(checkBooking(call, justPast)[0]?.message).toMatch(/at most 30 days ahead/);
  });

  it('refuses a call next year with the default one-year horizon, and one in year 9999', () => {
    // A Tuesday morning in Chicago, a year and a day after now.
    expect(codes(proposal('2027-01-05T15:00:00Z'))).toEqual(['BOOKING_TOO_FAR_AHEAD']);
    expect(codes(proposal('2026-12-29T15:00:00Z'))).toEqual([]);
    const farFuture = codes(proposal('9999-12-28T15:00:00Z'));
    expect(farFuture).toContain('BOOKING_TOO_FAR_AHEAD');
    // A horizon of ten years lets the same call next year through.
    const tenYears = facts({ facility: facility({ bookingHorizonDays: 3650 }) });
    expect(codes(proposal('2027-01-05T15:00:00Z'), tenYears)).toEqual([]);
  });

  it('lists the horizon beside the other broken rules, after lead time and before length', () => {
    const f = facts({ facility: facility({ bookingHorizonDays: 1 }), now: new Date('2026-01-13T15:00:00Z') });
    // A Saturday call two weeks ahead, too long: outside hours, too far ahead, too long.
    expect(codes(proposal('2026-01-31T15:00:00Z', 90), { ...f, interpreter: null })).toEqual([
      'OUTSIDE_VISITING_HOURS',
      'BOOKING_TOO_FAR_AHEAD',
      'CALL_TOO_LONG',
    ]);
  });

  it('refuses a call over the maximum length and accepts one at it', () => {
    const f = facts({ facility: facility({ maxCallMinutes: 45 }) });
    expect(codes(proposal('2026-01-13T15:00:00Z', 46), f)).toEqual(['CALL_TOO_LONG']);
    expect(codes(proposal('2026-01-13T15:00:00Z', 45), f)).toEqual([]);
  });
});

describe('booths', () => {
  const at = '2026-01-13T15:00:00Z';
  it('refuses when every booth is taken at that time', () => {
    const taken = [existing(at, 60), existing('2026-01-13T15:30:00Z', 30)];
    expect(codes(proposal(at), facts({ consultations: taken }))).toEqual(['BOOTH_UNAVAILABLE']);
  });

  it('accepts when overlapping calls never use all booths at once', () => {
    // 09:00–09:30 and 09:30–10:00 each use one of two booths; one is always free.
    const sequential = [existing(at, 30), existing('2026-01-13T15:30:00Z', 30)];
    expect(codes(proposal(at), facts({ consultations: sequential }))).toEqual([]);
  });

  it('refuses with one booth when any call overlaps, and accepts back-to-back calls', () => {
    const one = facts({ facility: facility({ booths: 1 }) });
    expect(codes(proposal(at), { ...one, consultations: [existing('2026-01-13T15:59:00Z', 30)] })).toEqual([
      'BOOTH_UNAVAILABLE',
    ]);
    expect(codes(proposal(at), { ...one, consultations: [existing('2026-01-13T16:00:00Z', 30)] })).toEqual(
      [],
    );
    expect(codes(proposal(at), { ...one, consultations: [existing('2026-01-13T14:30:00Z', 30)] })).toEqual(
      [],
    );
  });

  it('ignores cancelled and no-show calls, calls at other facilities, and the call being rescheduled', () => {
    const one = facility({ booths: 1 });
    const cancelled = existing(at, 60, { status: 'CANCELLED' });
    const noShow = existing(at, 60, { status: 'NO_SHOW' });
    const elsewhere = existing(at, 60, { facilityId: 'fac-2' });
    expect(
      codes(proposal(at), facts({ facility: one, consultations: [cancelled, noShow, elsewhere] })),
    ).toEqual([]);
    const self = existing(at, 60, { attorneyId: 'att-1', clientId: 'cli-1', interpreterId: 'int-1' });
    const moved = proposal('2026-01-13T15:30:00Z', 60, { consultationId: self.id });
    expect(codes(moved, facts({ facility: one, consultations: [self] }))).toEqual([]);
  });

  it('counts calls in progress as holding a booth', () => {
    const one = facility({ booths: 1 });
    const live = existing(at, 60, { status: 'IN_PROGRESS' });
    expect(codes(proposal(at), facts({ facility: one, consultations: [live] }))).toEqual([
      'BOOTH_UNAVAILABLE',
    ]);
  });
});

describe('double-booking', () => {
  const at = '2026-01-13T15:00:00Z';
  it.each([
    ['attorney', { attorneyId: 'att-1', facilityId: 'fac-2' }, 'ATTORNEY_DOUBLE_BOOKED'],
    ['interpreter', { interpreterId: 'int-1', facilityId: 'fac-2' }, 'INTERPRETER_DOUBLE_BOOKED'],
    ['client', { clientId: 'cli-1', attorneyId: 'att-2' }, 'CLIENT_DOUBLE_BOOKED'],
  ] as const)('refuses a second call for the same %s at an overlapping time', (_who, patch, code) => {
    const other = existing('2026-01-13T15:30:00Z', 60, patch);
    expect(codes(proposal(at), facts({ consultations: [other] }))).toEqual([code]);
  });

  it('accepts the same people back to back', () => {
    const before = existing('2026-01-13T14:00:00Z', 60, { attorneyId: 'att-1', interpreterId: 'int-1' });
    expect(codes(proposal(at), facts({ consultations: [before] }))).toEqual([]);
  });

  it('does not treat a call without interpreter as booking the interpreter', () => {
    const noInterpreter = existing(at, 60, { interpreterId: null });
    expect(codes(proposal(at), facts({ consultations: [noInterpreter] }))).toEqual([]);
  });
});

describe('relay interpreters and booth partners take their time too (issue 17)', () => {
  const at = '2026-01-13T15:00:00Z';

  it('refuses the interpreter for a call overlapping one they relay or partner on', () => {
    const relayed = existing('2026-01-13T15:30:00Z', 60, {
      facilityId: 'fac-2',
      interpreterId: 'int-other',
      furtherInterpreterIds: ['int-1'],
    });
    expect(codes(proposal(at), facts({ consultations: [relayed] }))).toEqual(['INTERPRETER_DOUBLE_BOOKED']);
    const after = existing('2026-01-13T16:00:00Z', 60, {
      facilityId: 'fac-2',
      furtherInterpreterIds: ['int-1'],
    });
    expect(codes(proposal(at), facts({ consultations: [after] }))).toEqual([]);
  });

  it('ignores a cancelled call they would have relayed', () => {
    const cancelled = existing(at, 60, {
      facilityId: 'fac-2',
      furtherInterpreterIds: ['int-1'],
      status: 'CANCELLED',
    });
    expect(codes(proposal(at), facts({ consultations: [cancelled] }))).toEqual([]);
  });

  it('holds a moved call’s further interpreters to the same rules as its own', () => {
    const relay = interpreter({ id: 'int-relay', languages: ['es'] });
    const self = existing(at, 60, {
      attorneyId: 'att-1',
      clientId: 'cli-1',
      interpreterId: 'int-1',
      furtherInterpreterIds: ['int-relay'],
    });
    const moved = proposal('2026-01-13T16:00:00Z', 60, { consultationId: self.id });
    // Its own booking does not block it.
    expect(codes(moved, facts({ consultations: [self], furtherInterpreters: [relay] }))).toEqual([]);
    const relayBusy = existing('2026-01-13T16:30:00Z', 60, {
      facilityId: 'fac-2',
      interpreterId: 'int-relay',
    });
    expect(codes(moved, facts({ consultations: [self, relayBusy], furtherInterpreters: [relay] }))).toEqual([
      'INTERPRETER_DOUBLE_BOOKED',
    ]);
    const partnerBusy = existing('2026-01-13T16:30:00Z', 30, {
      facilityId: 'fac-2',
      furtherInterpreterIds: ['int-relay'],
    });
    expect(codes(moved, facts({ consultations: [self, partnerBusy], furtherInterpreters: [relay] }))).toEqual(
      ['INTERPRETER_DOUBLE_BOOKED'],
    );
    // 17:00 local is after the relay's day ends at 17:00 (CST = UTC−6: 23:00 UTC).
    const late = proposal('2026-01-13T22:30:00Z', 60, { consultationId: self.id });
    const lateFacility = facility({
      windows: WEEKDAYS.map((weekday) => ({ weekday, startMinute: 8 * 60, endMinute: 20 * 60 })),
    });
    const ownAllDay = interpreter({
      weekly: WEEKDAYS.map((weekday) => ({ weekday, startMinute: 0, endMinute: 24 * 60 })),
    });
    expect(
      codes(
        late,
        facts({
          facility: lateFacility,
          interpreter: ownAllDay,
          consultations: [self],
          furtherInterpreters: [relay],
        }),
      ),
    ).toEqual(['INTERPRETER_UNAVAILABLE']);
  });
});

describe('daily limit per attorney and client, by the facility’s local day', () => {
  it('refuses a second call on the same local day even when the UTC date differs', () => {
    const f = facility({ windows: [{ weekday: 2, startMinute: 8 * 60, endMinute: 23 * 60 }] });
    // 2026-03-10 08:00 CDT (13:00Z) and 21:00 CDT (02:00Z on 03-11): same local Tuesday.
    const morning = existing('2026-03-10T13:00:00Z', 60, { attorneyId: 'att-1', clientId: 'cli-1' });
    expect(
      codes(
        proposal('2026-03-11T02:00:00Z'),
        facts({ facility: f, interpreter: null, consultations: [morning] }),
      ),
    ).toEqual(['DAILY_LIMIT_REACHED']);
  });

  it('accepts the next local day even when the UTC date is the same', () => {
    // 2026-01-12 22:00 CST is 04:00Z on 01-13; the proposal is 01-13 09:00 CST.
    const lateMonday = existing('2026-01-13T04:00:00Z', 60, { attorneyId: 'att-1', clientId: 'cli-1' });
    expect(codes(proposal('2026-01-13T15:00:00Z'), facts({ consultations: [lateMonday] }))).toEqual([]);
  });

  it('allows up to the limit and counts only this attorney with this client', () => {
    const f = facts({ facility: facility({ dailyLimitPerAttorneyClient: 2 }) });
    const first = existing('2026-01-13T14:00:00Z', 60, { attorneyId: 'att-1', clientId: 'cli-1' });
    const second = existing('2026-01-13T19:00:00Z', 60, { attorneyId: 'att-1', clientId: 'cli-1' });
    const otherClient = existing('2026-01-13T20:00:00Z', 30, { attorneyId: 'att-1', clientId: 'cli-2' });
    expect(codes(proposal('2026-01-13T16:00:00Z'), { ...f, consultations: [first, otherClient] })).toEqual(
      [],
    );
    expect(codes(proposal('2026-01-13T16:00:00Z'), { ...f, consultations: [first, second] })).toEqual([
      'DAILY_LIMIT_REACHED',
    ]);
    const cancelled = { ...second, status: 'CANCELLED' as const };
    expect(codes(proposal('2026-01-13T16:00:00Z'), { ...f, consultations: [first, cancelled] })).toEqual([]);
  });
});

describe('blackout dates', () => {
  it('refuses a call on a local blackout date', () => {
    const f = facts({ facility: facility({ blackoutDates: ['2026-01-13'] }) });
    expect(codes(proposal('2026-01-13T15:00:00Z'), f)).toEqual(['FACILITY_BLACKOUT']);
  });

  it('uses the facility’s local date, not the UTC date', () => {
    const f = facility({
      windows: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })),
      blackoutDates: ['2026-12-25'],
    });
    const noInterpreter = facts({ facility: f, interpreter: null });
    // 2026-12-25T03:00Z is 21:00 on Christmas Eve in Chicago: allowed.
    expect(codes(proposal('2026-12-25T03:00:00Z'), noInterpreter)).toEqual([]);
    // 2026-12-26T03:00Z is 21:00 on Christmas Day: refused.
    expect(codes(proposal('2026-12-26T03:00:00Z'), noInterpreter)).toEqual(['FACILITY_BLACKOUT']);
    // A call running from 23:30 on Christmas Eve into Christmas Day is refused.
    expect(codes(proposal('2026-12-25T05:30:00Z'), noInterpreter)).toEqual(['FACILITY_BLACKOUT']);
  });
});

describe('interpreter', () => {
  const at = '2026-01-13T15:00:00Z';
  it('refuses an interpreter who does not interpret the language', () => {
    expect(codes(proposal(at, 60, { language: 'ht' }))).toEqual(['INTERPRETER_LANGUAGE_MISMATCH']);
  });

  it('refuses an interpreter outside their weekly hours, read in their own zone', () => {
    // 08:00–17:00 in Los Angeles is 10:00–19:00 in Chicago; 09:00 CST is 07:00 PST.
    const west = interpreter({ timeZone: 'America/Los_Angeles' });
    expect(codes(proposal(at), facts({ interpreter: west }))).toEqual(['INTERPRETER_UNAVAILABLE']);
    expect(codes(proposal('2026-01-13T19:00:00Z'), facts({ interpreter: west }))).toEqual([]);
  });

  it('refuses when an unavailable exception covers any part of the call', () => {
    const away = interpreter({
      exceptions: [
        {
          startsAt: new Date('2026-01-13T15:45:00Z'),
          endsAt: new Date('2026-01-13T18:00:00Z'),
          available: false,
        },
      ],
    });
    expect(codes(proposal(at), facts({ interpreter: away }))).toEqual(['INTERPRETER_UNAVAILABLE']);
    expect(codes(proposal(at, 45), facts({ interpreter: away }))).toEqual([]);
  });

  it('accepts extra time an available exception adds outside the weekly pattern', () => {
    const f = facility({ windows: [{ weekday: 6, startMinute: 9 * 60, endMinute: 12 * 60 }] });
    const saturday = '2026-01-17T15:00:00Z';
    expect(codes(proposal(saturday), facts({ facility: f }))).toEqual(['INTERPRETER_UNAVAILABLE']);
    const extra = interpreter({
      exceptions: [
        {
          startsAt: new Date('2026-01-17T14:00:00Z'),
          endsAt: new Date('2026-01-17T18:00:00Z'),
          available: true,
        },
      ],
    });
    expect(codes(proposal(saturday), facts({ facility: f, interpreter: extra }))).toEqual([]);
  });

  it('keeps an interpreter’s 08:00 start local across their DST change', () => {
    // Monday 2026-03-09 08:00 CDT = 13:00Z; the interpreter works 08:00–17:00 Chicago time.
    expect(codes(proposal('2026-03-09T13:00:00Z'))).toEqual([]);
    // Friday 2026-03-06 13:00Z is 07:00 CST: before their day (and the facility's window).
    expect(codes(proposal('2026-03-06T13:00:00Z'))).toEqual([
      'OUTSIDE_VISITING_HOURS',
      'INTERPRETER_UNAVAILABLE',
    ]);
  });

  it('checks nothing about an interpreter when none is proposed', () => {
    expect(
      codes(proposal(at, 60, { interpreterId: null, language: 'ht' }), facts({ interpreter: null })),
    ).toEqual([]);
  });
});

describe('several broken rules', () => {
  it('reports every one, in a stable order', () => {
    const taken = existing('2026-01-17T15:00:00Z', 60, { attorneyId: 'att-1', clientId: 'cli-1' });
    const result = codes(
      proposal('2026-01-17T15:00:00Z', 90, { language: 'ht' }),
      facts({
        facility: facility({ booths: 1 }),
        consultations: [taken],
        now: new Date('2026-01-17T00:00:00Z'),
      }),
    );
    expect(result).toEqual([
      'OUTSIDE_VISITING_HOURS',
      'LEAD_TIME_TOO_SHORT',
      'CALL_TOO_LONG',
      'BOOTH_UNAVAILABLE',
      'ATTORNEY_DOUBLE_BOOKED',
      'CLIENT_DOUBLE_BOOKED',
      'DAILY_LIMIT_REACHED',
      'INTERPRETER_LANGUAGE_MISMATCH',
      'INTERPRETER_UNAVAILABLE',
    ]);
  });
});
