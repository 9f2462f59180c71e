/**
 * The per-listener mix of a phone leg: each speaker the routing plan sends to this listener, at
 * the plan's gain, summed, with clipping protection, one 20 ms frame at a time. Pure arithmetic on
 * 16-bit samples, at the listener's rate (8 kHz G.711, 48 kHz Opus); the leg decides who is in it
 * from its subscriptions every frame, so a routing change is heard from the next frame.
 */

/** Samples in one 20 ms frame at 8 kHz. */
export const FRAME_SAMPLES = 160;
/** Samples in one 20 ms frame at `rate` (8 kHz for G.711 listeners, 48 kHz for Opus ones). */
export function frameSamplesAt(rate: number): number {
  return rate / 50;
}
/** The most samples a frame has: 20 ms at 48 kHz. */
export const MAX_FRAME_SAMPLES = 960;
/** Frames a speaker may hold at most (a bound on memory, whatever the clock does). */
const MAX_QUEUED = 4;

/** One frame's span, ms. */
const FRAME_MS = 20;

/**
 * One speaker's decoded frames waiting for the listener's next mix. A frame is mixed in the first
 * frame whose deadline comes after it arrived: the queue never stands. Each frame is stamped with
 * its arrival time, and the mix of the frame due at `dueAt` first drops every frame that arrived
 * before the previous deadline (`dueAt` − 20 ms) while a newer one is there — such a frame is late,
 * and mixing it would delay all that follow by 20 ms for as long as the call lasts. (Before this
 * rule a queue of 3–4 frames, filled while the "joining" prompt played or by one burst, stood for
 * the whole call: the benchmark's 54–78 ms.)
 *
 * The allowance for jitter is one frame, and only when nothing newer came: a speaker whose packets
 * straddle the deadline (one a little late, the next on time) is mixed one frame later for that
 * moment instead of losing a frame; as soon as two frames wait, the older goes (counted in `late`).
 * Frames caught up after a stall carry their own, earlier deadlines, so what came during the stall
 * is mixed, not dropped.
 */
export class SpeakerFrames {
  private readonly frames: Int16Array[] = [];
  private readonly arrivals: number[] = [];
  /** Frames dropped: as late (a newer one waited beside them) or past the memory bound. */
  dropped = 0;
  late = 0;

  /** A frame arrived at `arrivedAt` (ms, the clock's time). */
  push(frame: Int16Array, arrivedAt = 0): void {
    this.frames.push(frame);
    this.arrivals.push(arrivedAt);
    while (this.frames.length > MAX_QUEUED) {
      this.frames.shift();
      this.arrivals.shift();
      this.dropped++;
    }
  }

  /**
   * The frame for the mix of the frame due at `dueAt` (ms), or null when none arrived in time (that
   * speaker is silent in this frame).
   */
  take(dueAt = 0): Int16Array | null {
    while (this.frames.length > 1 && this.arrivals[0]! < dueAt - FRAME_MS) {
      this.frames.shift();
      this.arrivals.shift();
      this.dropped++;
      this.late++;
    }
    this.arrivals.shift();
    return this.frames.shift() ?? null;
  }

  /** Frames waiting now. */
  get length(): number {
    return this.frames.length;
  }

  clear(): void {
    this.frames.length = 0;
    this.arrivals.length = 0;
  }
}

export interface MixInput {
  frame: Int16Array;
  gain: number;
}

const scratch = new Float32Array(MAX_FRAME_SAMPLES);

/**
 * Sums `inputs` at their gains into `out`. When the sum would clip, the whole frame is scaled down
 * to full scale instead (no wrapped or flattened peaks: a loud moment gets quieter, not distorted).
 * Returns the factor applied (1 when nothing needed it).
 */
export function mixFrame(inputs: readonly MixInput[], out: Int16Array): number {
  const n = out.length;
  scratch.fill(0, 0, n);
  for (const { frame, gain } of inputs) {
    if (gain <= 0) continue;
    const m = Math.min(n, frame.length);
    for (let i = 0; i < m; i++) scratch[i]! += frame[i]! * gain;
  }
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(scratch[i]!);
    if (v > peak) peak = v;
  }
  const scale = peak > 32767 ? 32767 / peak : 1;
  for (let i = 0; i < n; i++) out[i] = Math.round(scratch[i]! * scale);
  return scale;
}

/** RFC 6464 level of a frame: -dBov, 0 (loudest) to 127 (silence). */
export function audioLevelOf(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += frame[i]! * frame[i]!;
  const rms = Math.sqrt(sum / Math.max(1, frame.length)) / 32768;
  if (rms <= 0) return 127;
  return Math.max(0, Math.min(127, Math.round(-20 * Math.log10(rms))));
}

/**
 * 20 ms at 8 kHz (160 samples) to 20 ms at 48 kHz (960), by linear interpolation from the
 * previous frame's last sample (`previous`); returns this frame's last sample, the next call's
 * `previous`. For the voice prompts (recorded at 8 kHz) on an Opus leg.
 */
export function upsample8kTo48k(input: Int16Array, out: Int16Array, previous: number): number {
  const ratio = 6;
  let last = previous;
  for (let i = 0; i < input.length; i++) {
    const next = input[i]!;
    for (let j = 0; j < ratio; j++) out[i * ratio + j] = Math.round(last + ((next - last) * (j + 1)) / ratio);
    last = next;
  }
  return last;
}
