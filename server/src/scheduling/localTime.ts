import { DateTime } from 'luxon';
import { mergeIntervals, type Interval } from './intervals.ts';

/** A weekly window in some zone's wall-clock time: minutes after local midnight, 0 = Sunday. */
export interface WeeklyWindow {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

const MINUTES_PER_DAY = 1440;

/** Local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate() ?? '';
}

/** The instant a local wall-clock minute of a local day starts; 1440 is the next midnight. */
function wallClockToMs(day: DateTime, minute: number): number {
  if (minute >= MINUTES_PER_DAY) return day.plus({ days: 1 }).startOf('day').toMillis();
  // A wall-clock time skipped by a spring-forward change moves forward by the gap, as clocks do.
  return day
    .set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 })
    .toMillis();
}

/** [start, end) of a local calendar date in a zone; 23, 24 or 25 hours long. */
export function localDayBounds(isoDate: string, zone: string): Interval {
  const day = DateTime.fromISO(isoDate, { zone }).startOf('day');
  return { start: day.toMillis(), end: day.plus({ days: 1 }).startOf('day').toMillis() };
}

/**
 * Weekly wall-clock windows turned into UTC instants for every local day touching [fromMs, toMs),
 * each day placed by its own offset, so a window keeps its local hours across DST changes.
 * Touching windows merge (a call may run 11:00–12:00 across windows 08:00–11:30 and 11:30–16:30).
 */
export function expandWeeklyWindows(
  windows: readonly WeeklyWindow[],
  zone: string,
  fromMs: number,
  toMs: number,
): Interval[] {
  if (windows.length === 0 || toMs <= fromMs) return [];
  const byWeekday: WeeklyWindow[][] = [[], [], [], [], [], [], []];
  for (const w of windows) byWeekday[w.weekday]?.push(w);
  const result: Interval[] = [];
  let day = DateTime.fromMillis(fromMs, { zone }).startOf('day').minus({ days: 1 });
  while (day.toMillis() < toMs) {
    for (const w of byWeekday[day.weekday % 7] ?? []) {
      const start = wallClockToMs(day, w.startMinute);
      const end = wallClockToMs(day, w.endMinute);
      if (end > start && end > fromMs && start < toMs) result.push({ start, end });
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return mergeIntervals(result);
}

/** Monday 00:00 to the next Monday 00:00, local, of the week holding an instant. */
export function localWeekBounds(ms: number, zone: string): Interval {
  const monday = DateTime.fromMillis(ms, { zone }).startOf('week');
  return { start: monday.toMillis(), end: monday.plus({ weeks: 1 }).startOf('day').toMillis() };
}
