import { describe, expect, it } from 'vitest';
import { monthGrid, monthsFrom, todayIn } from './blackoutCalendar.ts';

describe('monthGrid', () => {
  it('lays a month out in Sunday-first weeks', () => {
    // 1 December 2026 is a Tuesday; the month has 31 days.
    const weeks = monthGrid(2026, 12);
    expect(weeks[0]).toEqual([
      null,
      null,
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
    ]);
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
    expect(weeks.every((week) => week.length === 7)).toBe(true);
    expect(weeks.at(-1)).toEqual([
      '2026-12-27',
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      null,
      null,
    ]);
  });

  it('knows leap years', () => {
    expect(monthGrid(2028, 2).flat().filter(Boolean)).toHaveLength(29);
    expect(monthGrid(2027, 2).flat().filter(Boolean)).toHaveLength(28);
  });
});

describe('monthsFrom and todayIn', () => {
  it('runs across the new year', () => {
    expect(monthsFrom('2026-11-15', 3)).toEqual([
      { year: 2026, month: 11 },
      { year: 2026, month: 12 },
      { year: 2027, month: 1 },
    ]);
  });

  it('takes the date where the facility is, not where the screen is', () => {
    // 03:00 UTC on 1 January is still 31 December in Chicago.
    expect(todayIn('America/Chicago', new Date('2027-01-01T03:00:00Z'))).toBe('2026-12-31');
    expect(todayIn('Europe/Bucharest', new Date('2027-01-01T03:00:00Z'))).toBe('2027-01-01');
  });
});
