import { describe, expect, it } from 'vitest';
import { FRAME_MS, PhoneClock, type ClockTime } from './PhoneClock.ts';

/** A clock time that only moves when told: timers and "after I/O" tasks run from `advance`. */
function fakeTime() {
  let now = 1000;
  let timers: { at: number; task: () => void; timer: NodeJS.Timeout }[] = [];
  const afterIo: (() => void)[] = [];
  const time: ClockTime = {
    now: () => now,
    setTimeout: (task, ms) => {
      const timer = { id: Math.random() } as unknown as NodeJS.Timeout;
      timers.push({ at: now + ms, task, timer });
      return timer;
    },
    clearTimeout: (timer) => {
      timers = timers.filter((t) => t.timer !== timer);
    },
    afterIo: (task) => afterIo.push(task),
  };
  /** Moves time to `to`, firing due timers in order; `io` runs between a timer and its after-I/O task. */
  function advance(to: number, io: () => void = () => undefined) {
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > to) break;
      timers.shift();
      now = Math.max(now, next.at);
      next.task();
      io();
      while (afterIo.length) afterIo.shift()!();
    }
    now = to;
  }
  return { time, advance, stall: (ms: number) => (now += ms) };
}

describe('PhoneClock (fake time)', () => {
  it('ticks every 20 ms from its start and tells each listener its frame’s deadline', () => {
    const { time, advance } = fakeTime();
    const clock = new PhoneClock(time);
    const deadlines: number[] = [];
    clock.subscribe((dueAt) => deadlines.push(dueAt));
    advance(1000 + 5 * FRAME_MS + 3);
    expect(deadlines).toEqual([1020, 1040, 1060, 1080, 1100]);
    expect(clock.ticks).toBe(5);
  });

  it('runs a tick after the I/O waiting when its timer fired: a packet that came by then is in that frame', () => {
    const { time, advance } = fakeTime();
    const clock = new PhoneClock(time);
    const order: string[] = [];
    clock.subscribe(() => order.push('tick'));
    advance(1020, () => order.push('io'));
    expect(order).toEqual(['io', 'tick']);
  });

  it('after a stall catches up three frames, each with its own deadline, and counts the rest as skipped', () => {
    const { time, advance, stall } = fakeTime();
    const clock = new PhoneClock(time);
    const deadlines: number[] = [];
    clock.subscribe((dueAt) => deadlines.push(dueAt));
    advance(1021);
    // The process stalls until 1140: the frames due at 1040…1140 are all due at once; the latest
    // three run, the three before them are skipped.
    stall(119);
    advance(1140);
    expect(deadlines).toEqual([1020, 1100, 1120, 1140]);
    expect(clock.skipped).toBe(3);
  });

  it('stops when its last listener leaves, and a tick already fired does not run after that', () => {
    const { time, advance } = fakeTime();
    const clock = new PhoneClock(time);
    let ticks = 0;
    const leave = clock.subscribe(() => ticks++);
    advance(1020, () => leave());
    advance(1200);
    expect(ticks).toBe(0);
  });
});
