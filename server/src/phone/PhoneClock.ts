import { performance } from 'node:perf_hooks';

/** One phone frame: 20 ms. */
export const FRAME_MS = 20;
/** Frames caught up after a stall, at most; older ones are skipped (the phone hears a gap). */
const MAX_CATCH_UP = 3;

/**
 * The steady 20 ms clock every phone leg of this node sends on: one timer for all legs, each
 * deadline computed from the start (not from the last tick), so timer jitter never accumulates
 * into drift. `lateness` keeps how late ticks ran, for the benchmark.
 */
export class PhoneClock {
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private frame = 0;
  /** Ticks that ran, and those skipped after a stall longer than the catch-up allows. */
  ticks = 0;
  skipped = 0;

  /** Calls `onFrame` once every 20 ms until the returned function is called. */
  subscribe(onFrame: () => void): () => void {
    this.listeners.add(onFrame);
    if (!this.timer) this.start();
    return () => {
      this.listeners.delete(onFrame);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(): void {
    this.startedAt = performance.now();
    this.frame = 0;
    this.schedule();
  }

  private schedule(): void {
    const next = this.startedAt + (this.frame + 1) * FRAME_MS;
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - performance.now()));
  }

  private tick(): void {
    const due = Math.floor((performance.now() - this.startedAt) / FRAME_MS) - this.frame;
    const run = Math.min(Math.max(1, due), MAX_CATCH_UP);
    this.skipped += Math.max(0, due - run);
    this.frame += Math.max(1, due);
    for (let i = 0; i < run; i++) {
      this.ticks++;
      for (const listener of this.listeners) {
        try {
          listener();
        } catch {
          // A leg's failure must not stop the clock of the others; the leg logs its own errors.
        }
      }
    }
    if (this.listeners.size > 0) this.schedule();
  }
}
