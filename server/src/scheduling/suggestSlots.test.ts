import { describe, expect, it } from 'vitest';
import { checkBooking, type ExistingConsultation, type FacilityRules } from './bookingRules.ts';
import { suggestSlots, type InterpreterCandidate, type SuggestionRequest } from './suggestSlots.ts';

const WEEKDAYS = [1, 2, 3, 4, 5];
const MINUTE = 60_000;

function facility(patch: Partial<FacilityRules> = {}): FacilityRules {
  return {
    id: 'fac-1',
    timeZone: 'America/Chicago',
    booths: 1,
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

function interpreter(
  id: string,
  name: string,
  languages: string[],
  patch: Partial<InterpreterCandidate> = {},
) {
  const candidate: InterpreterCandidate = {
    id,
    name,
    languages,
    timeZone: 'America/Chicago',
    weekly: WEEKDAYS.map((weekday) => ({ weekday, startMinute: 8 * 60, endMinute: 17 * 60 })),
    exceptions: [],
    ...patch,
  };
  return candidate;
}

let nextId = 0;
function booked(
  startIso: string,
  minutes: number,
  patch: Partial<ExistingConsultation> = {},
): ExistingConsultation {
  const startsAt = new Date(startIso);
  return {
    id: `c-${++nextId}`,
    facilityId: 'fac-1',
    attorneyId: 'att-other',
    clientId: 'cli-other',
    interpreterId: null,
    startsAt,
    endsAt: new Date(startsAt.getTime() + minutes * MINUTE),
    status: 'SCHEDULED',
    ...patch,
  };
}

const lucia = interpreter('int-lucia', 'Lucía', ['es', 'pt']);
const ixchel = interpreter('int-ixchel', 'Ixchel', ['es', 'quc']);
const jean = interpreter('int-jean', 'Jean', ['ht', 'fr']);

function request(patch: Partial<SuggestionRequest> = {}): SuggestionRequest {
  return {
    facility: facility(),
    date: '2026-01-13', // a Tuesday, CST
    durationMinutes: 60,
    stepMinutes: 30,
    language: 'es',
    attorneyId: 'att-1',
    clientId: 'cli-1',
    consultations: [],
    interpreters: [lucia, ixchel, jean],
    now: new Date('2026-01-01T00:00:00Z'),
    ...patch,
  };
}

/** Slot starts as local HH:MM in Chicago. */
function localStarts(req: SuggestionRequest): string[] {
  return suggestSlots(req).slots.map((s) =>
    s.startsAt.toLocaleTimeString('en-GB', {
      timeZone: 'America/Chicago',
      hour: '2-digit',
      minute: '2-digit',
    }),
  );
}

const FULL_DAY = [
  '08:00',
  '08:30',
  '09:00',
  '09:30',
  '10:00',
  '10:30',
  '13:00',
  '13:30',
  '14:00',
  '14:30',
  '15:00',
  '15:30',
];

describe('suggestSlots', () => {
  it('proposes every step inside the visiting windows where the call fits', () => {
    expect(localStarts(request())).toEqual(FULL_DAY);
  });

  it('keeps local hours on the Monday after spring forward', () => {
    const result = suggestSlots(request({ date: '2026-03-09' }));
    expect(result.slots[0]?.startsAt.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(result.slots).toHaveLength(12);
  });

  it('leaves out slots whose booths are all taken, but keeps back-to-back ones', () => {
    const taken = booked('2026-01-13T15:00:00Z', 60); // 09:00–10:00 CST, the only booth
    const starts = localStarts(request({ consultations: [taken] }));
    expect(starts).not.toContain('08:30');
    expect(starts).not.toContain('09:00');
    expect(starts).not.toContain('09:30');
    expect(starts).toContain('08:00');
    expect(starts).toContain('10:00');
    expect(localStarts(request({ facility: facility({ booths: 2 }), consultations: [taken] }))).toEqual(
      FULL_DAY,
    );
  });

  it('leaves out times the attorney or the client is busy anywhere', () => {
    const attorneyElsewhere = booked('2026-01-13T19:00:00Z', 60, {
      facilityId: 'fac-9',
      attorneyId: 'att-1',
    });
    expect(localStarts(request({ consultations: [attorneyElsewhere] }))).not.toContain('13:00');
    const clientWithOther = booked('2026-01-13T14:00:00Z', 60, { facilityId: 'fac-9', clientId: 'cli-1' });
    expect(localStarts(request({ consultations: [clientWithOther] }))).not.toContain('08:00');
  });

  it('ranks the interpreters who cover the language by hours booked that week, fewest first', () => {
    // Lucía has two hours booked on the Monday of the same week; Ixchel none.
    const busyWeek = [
      booked('2026-01-12T15:00:00Z', 60, { facilityId: 'fac-9', interpreterId: 'int-lucia' }),
      booked('2026-01-12T19:00:00Z', 60, { facilityId: 'fac-9', interpreterId: 'int-lucia' }),
      // The week before does not count.
      booked('2026-01-05T15:00:00Z', 600, { facilityId: 'fac-9', interpreterId: 'int-ixchel' }),
    ];
    const [first] = suggestSlots(request({ consultations: busyWeek })).slots;
    expect(first?.interpreters).toEqual([
      { id: 'int-ixchel', name: 'Ixchel', bookedMinutesThisWeek: 0 },
      { id: 'int-lucia', name: 'Lucía', bookedMinutesThisWeek: 120 },
    ]);
  });

  it('lists only interpreters free and available for the whole slot, and drops slots with none', () => {
    const luciaBusy = booked('2026-01-13T14:00:00Z', 60, { facilityId: 'fac-9', interpreterId: 'int-lucia' });
    const ixchelAway = interpreter('int-ixchel', 'Ixchel', ['es'], {
      exceptions: [
        {
          startsAt: new Date('2026-01-13T14:00:00Z'),
          endsAt: new Date('2026-01-13T15:00:00Z'),
          available: false,
        },
      ],
    });
    const result = suggestSlots(request({ consultations: [luciaBusy], interpreters: [lucia, ixchelAway] }));
    const eight = result.slots.find((s) => s.startsAt.toISOString() === '2026-01-13T14:00:00.000Z');
    expect(eight).toBeUndefined();
    const nine = result.slots.find((s) => s.startsAt.toISOString() === '2026-01-13T15:00:00.000Z');
    expect(nine?.interpreters.map((i) => i.id)).toEqual(['int-ixchel', 'int-lucia']);
  });

  it('does not offer an interpreter at a time they relay or partner on another call (issue 17)', () => {
    const luciaRelays = booked('2026-01-13T15:00:00Z', 60, {
      facilityId: 'fac-9',
      interpreterId: 'int-jean',
      furtherInterpreterIds: ['int-lucia'],
    });
    const result = suggestSlots(request({ consultations: [luciaRelays] }));
    const at = (iso: string) => result.slots.find((s) => s.startsAt.toISOString() === iso);
    expect(at('2026-01-13T15:00:00.000Z')?.interpreters.map((i) => i.id)).toEqual(['int-ixchel']);
    expect(at('2026-01-13T14:30:00.000Z')?.interpreters.map((i) => i.id)).toEqual(['int-ixchel']);
    expect(at('2026-01-13T16:00:00.000Z')?.interpreters.map((i) => i.id)).toEqual([
      'int-ixchel',
      'int-lucia',
    ]);
    // Her relay hour counts in her week, so she is ranked after Ixchel.
    expect(at('2026-01-13T16:00:00.000Z')?.interpreters[1]).toEqual({
      id: 'int-lucia',
      name: 'Lucía',
      bookedMinutesThisWeek: 60,
    });
  });

  it('proposes nothing when no interpreter covers the language', () => {
    expect(suggestSlots(request({ language: 'ti' })).slots).toEqual([]);
  });

  it('respects lead time from now', () => {
    // Now is Monday 10:15 CST: Tuesday slots before 10:15 are too soon.
    const starts = localStarts(request({ now: new Date('2026-01-12T16:15:00Z') }));
    expect(starts).toEqual(['10:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30']);
  });

  it('explains a day past the booking horizon, and cuts a day the horizon ends in', () => {
    const far = suggestSlots(request({ facility: facility({ bookingHorizonDays: 11 }) }));
    expect(far.slots).toEqual([]);
    expect(far.dayRefusal?.code).toBe('BOOKING_TOO_FAR_AHEAD');
    // The horizon ends Tuesday 2026-01-13 at 10:00 CST (16:00 UTC): a slot may start up to then.
    const cut = request({
      facility: facility({ bookingHorizonDays: 12 }),
      now: new Date('2026-01-01T16:00:00Z'),
    });
    expect(localStarts(cut)).toEqual(['08:00', '08:30', '09:00', '09:30', '10:00']);
    expect(suggestSlots(cut).dayRefusal).toBeNull();
  });

  it('explains a closed day: blackout, daily limit already reached, call too long', () => {
    expect(
      suggestSlots(request({ facility: facility({ blackoutDates: ['2026-01-13'] }) })).dayRefusal?.code,
    ).toBe('FACILITY_BLACKOUT');
    const earlier = booked('2026-01-13T22:00:00Z', 30, {
      facilityId: 'fac-9',
      attorneyId: 'att-1',
      clientId: 'cli-1',
    });
    const limited = suggestSlots(request({ consultations: [earlier] }));
    expect(limited.slots).toEqual([]);
    expect(limited.dayRefusal?.code).toBe('DAILY_LIMIT_REACHED');
    expect(suggestSlots(request({ durationMinutes: 90 })).dayRefusal?.code).toBe('CALL_TOO_LONG');
  });

  it('lets a rescheduled call ignore its own booking', () => {
    const own = booked('2026-01-13T15:00:00Z', 60, { attorneyId: 'att-1', clientId: 'cli-1' });
    expect(localStarts(request({ consultations: [own], excludeConsultationId: own.id }))).toEqual(FULL_DAY);
  });

  it('uses the facility’s zone for the day: a Phoenix facility opens at 15:00 UTC in July', () => {
    const phoenix = facility({ timeZone: 'America/Phoenix' });
    const anywhere = interpreter('int-any', 'Any', ['es'], {
      weekly: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })),
    });
    const result = suggestSlots(request({ facility: phoenix, date: '2026-07-14', interpreters: [anywhere] }));
    expect(result.slots[0]?.startsAt.toISOString()).toBe('2026-07-14T15:00:00.000Z');
  });
});

/** A small deterministic PRNG, so the randomised comparison is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('suggestSlots agrees with checkBooking', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('on a randomly busy day (seed %i)', (seed) => {
    const random = mulberry32(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const fac = facility({ booths: 1 + Math.floor(random() * 3), dailyLimitPerAttorneyClient: 2 });
    const people = ['att-1', 'att-2', 'att-3'];
    const clients = ['cli-1', 'cli-2', 'cli-3', 'cli-4'];
    const interpreters = [
      lucia,
      ixchel,
      interpreter('int-ana', 'Ana', ['es'], { timeZone: 'America/Denver' }),
    ];
    const dayStart = Date.parse('2026-03-09T13:00:00Z'); // 08:00 CDT, the Monday after spring forward
    const consultations: ExistingConsultation[] = [];
    for (let n = 0; n < 14; n++) {
      const start = dayStart + Math.floor(random() * 36) * 15 * MINUTE;
      consultations.push(
        booked(new Date(start).toISOString(), pick([30, 45, 60]), {
          facilityId: pick(['fac-1', 'fac-1', 'fac-2']),
          attorneyId: pick(people),
          clientId: pick(clients),
          interpreterId: pick([null, 'int-lucia', 'int-ixchel', 'int-ana']),
          status: pick(['SCHEDULED', 'SCHEDULED', 'CANCELLED'] as const),
        }),
      );
    }
    const req = request({
      facility: fac,
      date: '2026-03-09',
      durationMinutes: 45,
      stepMinutes: 15,
      consultations,
      interpreters,
    });
    const suggested = new Map(
      suggestSlots(req).slots.map((s) => [s.startsAt.getTime(), s.interpreters.map((i) => i.id).sort()]),
    );
    // The day is neither empty nor wide open, or the comparison would prove little.
    expect(suggested.size).toBeGreaterThan(0);
    expect(suggested.size).toBeLessThan(22);
    // Every 15 minutes of the local day, with every interpreter: the rules decide alone.
    const localMidnight = Date.parse('2026-03-09T05:00:00Z');
    for (let t = localMidnight; t < localMidnight + 24 * 60 * MINUTE; t += 15 * MINUTE) {
      const accepting = interpreters
        .filter(
          (i) =>
            checkBooking(
              {
                attorneyId: 'att-1',
                clientId: 'cli-1',
                interpreterId: i.id,
                language: 'es',
                startsAt: new Date(t),
                endsAt: new Date(t + 45 * MINUTE),
              },
              { facility: fac, consultations, interpreter: i, now: req.now },
            ).length === 0,
        )
        .map((i) => i.id)
        .sort();
      expect(suggested.get(t) ?? [], new Date(t).toISOString()).toEqual(accepting);
    }
  });
});
