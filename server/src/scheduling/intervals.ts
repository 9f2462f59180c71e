/**
 * Half-open time intervals [start, end) in epoch milliseconds, and the few operations scheduling
 * needs on sorted lists of them. Numbers, not Dates: suggestions test thousands of slots.
 */
export interface Interval {
  start: number;
  end: number;
}

/** Sorts and merges overlapping or touching intervals; drops empty ones. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end) {
      if (next.end > last.end) last.end = next.end;
    } else {
      merged.push({ start: next.start, end: next.end });
    }
  }
  return merged;
}

/** `from` minus every interval of `cut`; both sorted and merged. */
export function subtractIntervals(from: readonly Interval[], cut: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  let j = 0;
  for (const piece of from) {
    let start = piece.start;
    while (j < cut.length && (cut[j] as Interval).end <= start) j++;
    let k = j;
    while (k < cut.length && (cut[k] as Interval).start < piece.end) {
      const c = cut[k] as Interval;
      if (c.start > start) result.push({ start, end: c.start });
      start = Math.max(start, c.end);
      k++;
    }
    if (start < piece.end) result.push({ start, end: piece.end });
  }
  return result;
}

/** Index of the first interval whose end is after `t`, in a sorted, merged list. */
function firstEndingAfter(sorted: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as Interval).end <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when [start, end) overlaps any interval of a sorted, merged list. O(log n). */
export function overlapsAny(sorted: readonly Interval[], start: number, end: number): boolean {
  const candidate = sorted[firstEndingAfter(sorted, start)];
  return candidate !== undefined && candidate.start < end;
}

/** True when [start, end) lies entirely inside one interval of a sorted, merged list. O(log n). */
export function coveredBy(sorted: readonly Interval[], start: number, end: number): boolean {
  const candidate = sorted[firstEndingAfter(sorted, start)];
  return candidate !== undefined && candidate.start <= start && candidate.end >= end;
}

/**
 * The times at which at least `capacity` of the intervals run at once, merged (sweep over sorted
 * start and end points: O(n log n)). With capacity 1 this is simply "busy".
 */
export function saturatedIntervals(intervals: readonly Interval[], capacity: number): Interval[] {
  if (capacity <= 1) return mergeIntervals(intervals);
  const points: [number, number][] = [];
  for (const i of intervals) {
    if (i.end <= i.start) continue;
    points.push([i.start, 1], [i.end, -1]);
  }
  // Ends before starts at the same instant: back-to-back calls do not overlap.
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const result: Interval[] = [];
  let running = 0;
  let saturatedSince: number | null = null;
  for (const [time, delta] of points) {
    running += delta;
    if (running >= capacity && saturatedSince === null) saturatedSince = time;
    else if (running < capacity && saturatedSince !== null) {
      if (time > saturatedSince) result.push({ start: saturatedSince, end: time });
      saturatedSince = null;
    }
  }
  return mergeIntervals(result);
}
