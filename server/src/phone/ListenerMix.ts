/**
 * The per-listener mix of a phone leg: each speaker the routing plan sends to this listener, at
 * the plan's gain, summed, with clipping protection, one 20 ms frame at a time. Pure arithmetic on
 * 16-bit samples; the leg decides who is in it from its subscriptions every frame, so a routing
 * change is heard from the next frame.
 */

/** Samples in one 20 ms frame at 8 kHz. */
export const FRAME_SAMPLES = 160;
/** Frames a speaker may have queued (80 ms): more means the clock fell behind; the oldest go. */
const MAX_QUEUED = 4;

/** One speaker's decoded frames waiting for the mix clock. */
export class SpeakerFrames {
  private readonly queue: Int16Array[] = [];
  dropped = 0;

  push(frame: Int16Array): void {
    this.queue.push(frame);
    while (this.queue.length > MAX_QUEUED) {
      this.queue.shift();
      this.dropped++;
    }
  }

  /** The next frame, or null when none arrived in time (that speaker is silent in this frame). */
  take(): Int16Array | null {
    return this.queue.shift() ?? null;
  }

  clear(): void {
    this.queue.length = 0;
  }
}

export interface MixInput {
  frame: Int16Array;
  gain: number;
}

const scratch = new Float32Array(FRAME_SAMPLES);

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
