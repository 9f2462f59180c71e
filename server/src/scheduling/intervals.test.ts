import { describe, expect, it } from 'vitest';
import {
  coveredBy,
  mergeIntervals,
  overlapsAny,
  saturatedIntervals,
  subtractIntervals,
} from './intervals.ts';

const i = (start: number, end: number) => ({ start, end });

describe('intervals', () => {
  it('merges overlapping and touching intervals and drops empty ones', () => {
    expect(mergeIntervals([i(5, 7), i(0, 2), i(2, 3), i(6, 9), i(4, 4)])).toEqual([i(0, 3), i(5, 9)]);
  });

  it('subtracts cuts from pieces', () => {
    expect(subtractIntervals([i(0, 10), i(20, 30)], [i(2, 4), i(8, 22), i(25, 26)])).toEqual([
      i(0, 2),
      i(4, 8),
      i(22, 25),
      i(26, 30),
    ]);
  });

  it('answers overlap and coverage with half-open ends', () => {
    const sorted = [i(0, 10), i(20, 30)];
    expect(overlapsAny(sorted, 10, 20)).toBe(false);
    expect(overlapsAny(sorted, 9, 11)).toBe(true);
    expect(overlapsAny(sorted, 30, 40)).toBe(false);
    expect(coveredBy(sorted, 20, 30)).toBe(true);
    expect(coveredBy(sorted, 5, 21)).toBe(false);
    expect(coveredBy([], 0, 1)).toBe(false);
  });

  it('finds where capacity is reached, treating back-to-back as not overlapping', () => {
    expect(saturatedIntervals([i(0, 10), i(5, 15), i(10, 20)], 2)).toEqual([i(5, 15)]);
    expect(saturatedIntervals([i(0, 10), i(10, 20)], 2)).toEqual([]);
    expect(saturatedIntervals([i(0, 10), i(5, 15), i(8, 9)], 3)).toEqual([i(8, 9)]);
    expect(saturatedIntervals([i(0, 10), i(10, 20)], 1)).toEqual([i(0, 20)]);
  });
});
