import { performance } from 'node:perf_hooks';

/** One phone frame: 20 ms. */
export const FRAME_MS = 20;
/** Frames caught up after a stall, at most; older ones are skipped (the phone hears a gap). */
const MAX_CATCH_UP = 3;

/** A tick's listener: `dueAt` is the frame's deadline (performance.now() time), not when it ran. */
export type FrameListener = (dueAt: number) => void;

/** What the clock runs on: real time by default, a fake one in tests. */
export interface ClockTime {
  now(): number;
  setTimeout(task: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout): void;
  /** Runs `task` after the I/O that is waiting now (Node: setImmediate). */
  afterIo(task: () => void): void;
}

const REAL_TIME: ClockTime = {
  now: () => performance.now(),
  setTimeout: (task, ms) => setTimeout(task, ms),
  clearTimeout: (timer) => clearTimeout(timer),
  afterIo: (task) => void setImmediate(task),
};

/**
 * The steady 20 ms clock every phone leg of this node sends on: one timer for all legs, each
 * deadline computed from the start (not from the last tick), so timer jitter never accumulates
 * into drift. Each listener is told the deadline of the frame it makes, so a leg can tell a frame
 * that arrived before it from one that waited past an earlier deadline (SpeakerFrames).
 *
 * A tick runs after the I/O waiting when its timer fires (Node runs timers before it reads
 * sockets): a packet that arrived before the deadline is mixed in that frame, not the next one,
 * and after a stall the frames caught up find the packets that came during it.
 */
export class PhoneClock {
  private readonly listeners = new Set<FrameListener>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private frame = 0;
  /** Ticks that ran, and those skipped after a stall longer than the catch-up allows. */
  ticks = 0;
  skipped = 0;

  constructor(private readonly time: ClockTime = REAL_TIME) {}

  /** Calls `onFrame` once every 20 ms until the returned function is called. */
  subscribe(onFrame: FrameListener): () => void {
    this.listeners.add(onFrame);
    if (!this.timer) this.start();
    return () => {
      this.listeners.delete(onFrame);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) this.time.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(): void {
    this.startedAt = this.time.now();
    this.frame = 0;
    this.schedule();
  }

  private schedule(): void {
    const next = this.startedAt + (this.frame + 1) * FRAME_MS;
    const timer = this.time.setTimeout(
      () => this.time.afterIo(() => this.timer === timer && this.tick()),
      Math.max(0, next - this.time.now()),
    );
    this.timer = timer;
  }

  private tick(): void {
    const due = Math.floor((this.time.now() - this.startedAt) / FRAME_MS) - this.frame;
    const run = Math.min(Math.max(1, due), MAX_CATCH_UP);
    this.skipped += Math.max(0, due - run);
    this.frame += Math.max(1, due);
    // The frames run are the latest `run` ones due; each listener hears each frame's own deadline.
    for (let i = run - 1; i >= 0; i--) {
      this.ticks++;
      const dueAt = this.startedAt + (this.frame - i) * FRAME_MS;
      for (const listener of this.listeners) {
        try {
          listener(dueAt);
        } catch {
          // A leg's failure must not stop the clock of the others; the leg logs its own errors.
        }
      }
    }
    if (this.listeners.size > 0) this.schedule();
  }
}
