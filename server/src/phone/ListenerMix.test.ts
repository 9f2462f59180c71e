import { describe, expect, it } from 'vitest';
import { audioLevelOf, FRAME_SAMPLES, mixFrame, SpeakerFrames, upsample8kTo48k } from './ListenerMix.ts';

const tone = (hz: number, amplitude: number) =>
  Int16Array.from({ length: FRAME_SAMPLES }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000)),
  );

describe('ListenerMix', () => {
  it('sums speakers at their gains; a speaker at gain 0 adds nothing', () => {
    const a = tone(400, 8000);
    const b = tone(1000, 8000);
    const out = new Int16Array(FRAME_SAMPLES);
    expect(
      mixFrame(
        [
          { frame: a, gain: 1 },
          { frame: b, gain: 0.2 },
        ],
        out,
      ),
    ).toBe(1);
    for (let i = 0; i < FRAME_SAMPLES; i++)
      expect(Math.abs(out[i]! - (a[i]! + 0.2 * b[i]!))).toBeLessThanOrEqual(1);
    mixFrame([{ frame: a, gain: 0 }], out);
    expect(out.every((s) => s === 0)).toBe(true);
  });

  it('scales a frame that would clip down to full scale instead of wrapping or flattening it', () => {
    const loud = tone(400, 30000);
    const out = new Int16Array(FRAME_SAMPLES);
    const scale = mixFrame(
      [
        { frame: loud, gain: 1 },
        { frame: loud, gain: 1 },
      ],
      out,
    );
    expect(scale).toBeLessThan(1);
    const peak = Math.max(...Array.from(out, Math.abs));
    expect(peak).toBeLessThanOrEqual(32767);
    expect(peak).toBeGreaterThan(32000);
    // Still the same waveform: signs follow the input.
    for (let i = 0; i < FRAME_SAMPLES; i++) expect(Math.sign(out[i]!)).toBe(Math.sign(loud[i]!));
  });

  it('bounds a speaker’s queue, dropping the oldest, whatever the clock does', () => {
    const frames = new SpeakerFrames();
    for (let i = 0; i < 6; i++) frames.push(Int16Array.of(i));
    expect(frames.dropped).toBe(2);
    expect(frames.take()?.[0]).toBe(2);
    frames.clear();
    expect(frames.take()).toBeNull();
  });

  describe('timing, on a fake clock (deadlines every 20 ms, arrivals between them)', () => {
    /**
     * Drives one speaker's queue like a leg does: the frame due at tick × 20 ms takes a frame (from
     * tick `mixFrom` on: before it a prompt plays and nothing is mixed); the frames listed for a
     * tick arrive before its deadline (at tick × 20 − `early` ms). Returns, per frame mixed, how many
     * deadlines it waited through (1: mixed in the first frame due after it arrived) and which
     * frames were mixed.
     */
    function run(arrivalsBeforeTick: number[][], options: { mixFrom?: number; early?: number } = {}) {
      const { mixFrom = 0, early = 5 } = options;
      const frames = new SpeakerFrames();
      const arrivedBefore = new Map<number, number>();
      const waited: number[] = [];
      const mixed: number[] = [];
      arrivalsBeforeTick.forEach((arrivals, tick) => {
        for (const id of arrivals) {
          arrivedBefore.set(id, tick);
          frames.push(Int16Array.of(id), tick * 20 - early);
        }
        if (tick < mixFrom) return;
        const frame = frames.take(tick * 20);
        if (frame) {
          mixed.push(frame[0]!);
          waited.push(tick - arrivedBefore.get(frame[0]!)! + 1);
        }
      });
      return { waited, mixed, late: frames.late };
    }

    it('mixes a steady speaker’s frame in the next frame due, every time', () => {
      const { waited, late } = run(Array.from({ length: 50 }, (_, i) => [i]));
      expect(waited.every((w) => w === 1)).toBe(true);
      expect(late).toBe(0);
    });

    it('does not let a backlog stand: frames that came while a prompt played are not mixed late for the rest of the call', () => {
      // Frames arrive one a tick while the "joining" prompt plays (no mix until tick 6).
      const { waited, mixed } = run(
        Array.from({ length: 14 }, (_, i) => [i]),
        { mixFrom: 6 },
      );
      // Only the newest is mixed at once; from then on each frame in the first frame due after it
      // came (before: up to 4 frames stood in the queue for the whole call, 60–80 ms).
      expect(mixed).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
      expect(waited.every((w) => w === 1)).toBe(true);
    });

    it('recovers from a burst (three frames at once after a network stall) at the next deadline', () => {
      const { waited, mixed, late } = run([[0], [], [], [1, 2, 3], [4], [5], [6]]);
      expect(mixed).toEqual([0, 1, 4, 5, 6]);
      expect(waited).toEqual([1, 1, 1, 1, 1]);
      expect(late).toBe(2);
    });

    it('mixes every frame that came during a stall of the clock itself in the frames caught up', () => {
      // The clock stalled: frames 1–3 arrived before deadline 20, 40, 60, but the ticks for those
      // deadlines run only after all three came (each with its own deadline).
      const frames = new SpeakerFrames();
      frames.push(Int16Array.of(1), 15);
      frames.push(Int16Array.of(2), 35);
      frames.push(Int16Array.of(3), 55);
      expect([20, 40, 60].map((due) => frames.take(due)?.[0])).toEqual([1, 2, 3]);
      expect(frames.late).toBe(0);
    });

    it('lets a frame wait one deadline more only when nothing newer came (jitter across the deadline), never two', () => {
      // Frame 1 misses deadline 20 and comes with frame 2; frame 3 is late again.
      const { waited, mixed } = run([[0], [], [1, 2], [], [3], [4]]);
      expect(mixed).toEqual([0, 1, 2, 3, 4]);
      expect(Math.max(...waited)).toBeLessThanOrEqual(2);
      // Once frames come steadily, the standing frame is gone.
      expect(waited.at(-1)).toBe(1);
    });

    it('never stands a queue under steady jitter across the deadline', () => {
      // Arrivals alternate: 0 frames before one deadline, 2 before the next.
      const gaps = Array.from({ length: 40 }, (_, t) => (t % 2 === 0 ? [] : [t - 1, t]));
      const { waited, mixed } = run(gaps);
      expect(Math.max(...waited)).toBeLessThanOrEqual(2);
      // Nothing is lost to it either.
      expect(mixed).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i < 39));
    });
  });

  it('upsamples a prompt frame to 48 kHz without a step between frames', () => {
    const input = Int16Array.from({ length: FRAME_SAMPLES }, (_, i) =>
      Math.round(8000 * Math.sin((2 * Math.PI * 400 * i) / 8000)),
    );
    const out = new Int16Array(FRAME_SAMPLES * 6);
    const last = upsample8kTo48k(input, out, 0);
    expect(last).toBe(input[FRAME_SAMPLES - 1]);
    // Every sixth sample is the input sample; those between lie between their neighbours.
    for (let i = 0; i < FRAME_SAMPLES; i++) expect(out[i * 6 + 5]).toBe(input[i]);
    for (let i = 1; i < FRAME_SAMPLES; i++) {
      const lo = Math.min(input[i - 1]!, input[i]!);
      const hi = Math.max(input[i - 1]!, input[i]!);
      for (let j = 0; j < 5; j++) {
        expect(out[i * 6 + j]!).toBeGreaterThanOrEqual(lo);
        expect(out[i * 6 + j]!).toBeLessThanOrEqual(hi);
      }
    }
  });

  it('gives RFC 6464 levels: full-scale near 0, silence 127', () => {
    expect(audioLevelOf(tone(400, 32767))).toBeLessThanOrEqual(4);
    expect(audioLevelOf(new Int16Array(FRAME_SAMPLES))).toBe(127);
    expect(audioLevelOf(tone(400, 328))).toBeGreaterThan(40);
  });
});
