/**
 * Scheduling benchmark: slot suggestions for every weekday of a month at 12 facilities, over a
 * month of realistic bookings (booths ~70 % full in visiting hours, 20 interpreters, 40 attorneys).
 * Pure computation, as the service runs it after its queries. Prints one JSON line per figure.
 *
 *   npx tsx bench/scheduling.ts [--quick]
 */
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import {
  checkBooking,
  type ExistingConsultation,
  type FacilityRules,
} from '../server/src/scheduling/bookingRules.ts';
import { suggestSlots, type InterpreterCandidate } from '../server/src/scheduling/suggestSlots.ts';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 5;
const MONTH = { year: 2026, month: 3 }; // includes the spring-forward change
const ZONES = [
  'America/Chicago',
  'America/Chicago',
  'America/Chicago',
  'America/New_York',
  'America/Phoenix',
  'America/Denver',
];
const LANGUAGES = ['es', 'ht', 'quc', 'mam', 'kjb', 'pt', 'fr', 'ar', 'hi', 'pa', 'ti', 'ro', 'wo', 'vi'];

let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const WEEKDAYS = [1, 2, 3, 4, 5];
const facilities: FacilityRules[] = Array.from({ length: 12 }, (_, n) => ({
  id: `fac-${n}`,
  timeZone: ZONES[n % ZONES.length] as string,
  booths: 1 + (n % 4),
  minLeadTimeMinutes: 1440,
  maxCallMinutes: 60,
  dailyLimitPerAttorneyClient: 1,
  bookingHorizonDays: 365,
  windows: WEEKDAYS.flatMap((weekday) => [
    { weekday, startMinute: 480, endMinute: 690 },
    { weekday, startMinute: 780, endMinute: 990 },
  ]),
  blackoutDates: n % 5 === 0 ? ['2026-03-20'] : [],
}));

const interpreters: InterpreterCandidate[] = Array.from({ length: 20 }, (_, n) => ({
  id: `int-${n}`,
  name: `Interpreter ${n}`,
  languages: [LANGUAGES[n % LANGUAGES.length] as string, 'es'].slice(0, n % 3 === 0 ? 2 : 1),
  timeZone: pick(ZONES),
  weekly: WEEKDAYS.map((weekday) => ({ weekday, startMinute: 420, endMinute: 1080 })),
  exceptions: [],
}));
const attorneys = Array.from({ length: 40 }, (_, n) => `att-${n}`);
const clients = Array.from({ length: 400 }, (_, n) => `cli-${n}`);

/** Every booth of every facility ~70 % booked through the month's visiting hours. */
const consultations: ExistingConsultation[] = [];
const days: { facility: FacilityRules; date: string }[] = [];
for (const facility of facilities) {
  let day = DateTime.fromObject({ ...MONTH, day: 1 }, { zone: facility.timeZone });
  while (day.month === MONTH.month) {
    if (day.weekday <= 5) {
      days.push({ facility, date: day.toISODate() as string });
      for (let booth = 0; booth < facility.booths; booth++) {
        for (const [startMinute, endMinute] of [
          [480, 690],
          [780, 990],
        ] as const) {
          for (let m = startMinute; m + 30 <= endMinute; m += 30) {
            if (random() > 0.35) continue; // 30-minute starts; each call 30–60 min
            const startsAt = day.set({ hour: Math.floor(m / 60), minute: m % 60 }).toJSDate();
            const minutes = pick([30, 45, 60]);
            if (m + minutes > endMinute) continue;
            consultations.push({
              id: `c-${consultations.length}`,
              facilityId: facility.id,
              attorneyId: pick(attorneys),
              clientId: pick(clients),
              interpreterId: pick(interpreters).id,
              startsAt,
              endsAt: new Date(startsAt.getTime() + minutes * 60_000),
              status: random() < 0.1 ? 'CANCELLED' : 'SCHEDULED',
            });
          }
        }
      }
    }
    day = day.plus({ days: 1 });
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function report(name: string, samples: number[], extra: Record<string, unknown>): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const line = {
    bench: name,
    median_ms: Number(percentile(sorted, 50).toFixed(3)),
    p99_ms: Number(percentile(sorted, 99).toFixed(3)),
    samples: samples.length,
    ...extra,
  };
  console.log(JSON.stringify(line));
}

const now = new Date('2026-02-20T00:00:00Z');
const base = { durationMinutes: 60, stepMinutes: 15, interpreters, now } as const;

// What the API does: the month of bookings is passed in whole and scanned once per request.
const monthSamples: number[] = [];
const daySamples: number[] = [];
/** A month view: every weekday of one facility, summed. */
const facilityMonthSamples: number[] = [];
let slotsFound = 0;
for (let round = 0; round < ROUNDS; round++) {
  const perFacility = new Map<string, number>();
  for (const { facility, date } of days) {
    const request = {
      ...base,
      facility,
      date,
      language: pick(LANGUAGES),
      attorneyId: pick(attorneys),
      clientId: pick(clients),
    };
    let t0 = performance.now();
    const result = suggestSlots({ ...request, consultations });
    const elapsed = performance.now() - t0;
    monthSamples.push(elapsed);
    perFacility.set(facility.id, (perFacility.get(facility.id) ?? 0) + elapsed);
    slotsFound += result.slots.length;

    // Pre-filtered to the facility's week, as the service's query returns.
    const dayStart = DateTime.fromISO(date, { zone: facility.timeZone }).startOf('week').toMillis();
    const weekOnly = consultations.filter(
      (c) =>
        c.startsAt.getTime() >= dayStart - 86_400_000 && c.startsAt.getTime() < dayStart + 8 * 86_400_000,
    );
    t0 = performance.now();
    suggestSlots({ ...request, consultations: weekOnly });
    daySamples.push(performance.now() - t0);
  }
  facilityMonthSamples.push(...perFacility.values());
}

const checkSamples: number[] = [];
for (let n = 0; n < days.length * ROUNDS; n++) {
  const { facility, date } = pick(days);
  const startsAt = DateTime.fromISO(`${date}T09:00`, { zone: facility.timeZone }).toJSDate();
  const interpreter = pick(interpreters);
  const dayWindow = consultations.filter(
    (c) => Math.abs(c.startsAt.getTime() - startsAt.getTime()) < 40 * 3_600_000,
  );
  const t0 = performance.now();
  checkBooking(
    {
      attorneyId: pick(attorneys),
      clientId: pick(clients),
      interpreterId: interpreter.id,
      language: 'es',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
    },
    { facility, consultations: dayWindow, interpreter, now },
  );
  checkSamples.push(performance.now() - t0);
}

const common = {
  facilities: facilities.length,
  consultations: consultations.length,
  interpreters: interpreters.length,
};
report('scheduling.suggestions.day_over_month_of_bookings', monthSamples, {
  ...common,
  avg_slots: Math.round(slotsFound / monthSamples.length),
});
report('scheduling.suggestions.month_at_one_facility', facilityMonthSamples, common);
report('scheduling.suggestions.day_over_week_of_bookings', daySamples, common);
report('scheduling.check_booking', checkSamples, common);
