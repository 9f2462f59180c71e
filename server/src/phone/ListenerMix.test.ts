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

  describe('timing, on a logical clock (the listener’s mix count)', () => {
    /**
     * Drives one speaker's queue like a leg does: at each 20 ms tick the mix takes a frame; between
     * ticks the frames listed for that gap arrive. Returns, per frame mixed, how many ticks it
     * waited (1: mixed at the first tick after it arrived) and which frames were never mixed.
     */
    function run(arrivalsBeforeTick: number[][]) {
      const frames = new SpeakerFrames();
      const arrivedBefore = new Map<number, number>();
      const waited: number[] = [];
      const mixed: number[] = [];
      arrivalsBeforeTick.forEach((arrivals, tick) => {
        for (const id of arrivals) {
          arrivedBefore.set(id, tick);
          frames.push(Int16Array.of(id), tick);
        }
        const frame = frames.take(tick);
        if (frame) {
          mixed.push(frame[0]!);
          waited.push(tick - arrivedBefore.get(frame[0]!)! + 1);
        }
      });
      return { waited, mixed, late: frames.late };
    }

    it('mixes a steady speaker’s frame at the next tick, every time', () => {
      const { waited, late } = run(Array.from({ length: 50 }, (_, i) => [i]));
      expect(waited.every((w) => w === 1)).toBe(true);
      expect(late).toBe(0);
    });

    it('does not let a backlog stand: frames queued while no mix ran (a prompt) are not mixed late for the rest of the call', () => {
      // Four frames arrive while the "joining" prompt plays (no mix), then one per tick.
      const { waited, mixed } = run([[0, 1, 2, 3], [4], [5], [6], [7], [8], [9]]);
      // The first mix may take the oldest backlog frame once; from the next tick on, each frame is
      // mixed at the first tick after it came (before: 4 frames stood in the queue, 60–80 ms).
      expect(waited.slice(1).every((w) => w === 1)).toBe(true);
      expect(mixed.slice(1)).toEqual([4, 5, 6, 7, 8, 9]);
    });

    it('recovers from a burst (three frames at once after a stall) at the next tick', () => {
      const { waited, mixed, late } = run([[0], [], [], [1, 2, 3], [4], [5], [6]]);
      expect(mixed).toEqual([0, 1, 4, 5, 6]);
      expect(waited).toEqual([1, 1, 1, 1, 1]);
      expect(late).toBe(2);
    });

    it('lets a frame wait one tick more only when nothing newer came (jitter across the tick), never two', () => {
      // Frame 1 is late past tick 1 and comes with frame 2; frame 3 is late again.
      const { waited, mixed } = run([[0], [], [1, 2], [], [3], [4]]);
      expect(mixed).toEqual([0, 1, 2, 3, 4]);
      expect(Math.max(...waited)).toBeLessThanOrEqual(2);
      // Once frames come steadily, the standing frame is gone.
      expect(waited.at(-1)).toBe(1);
    });

    it('never stands a queue under steady jitter across the tick phase', () => {
      // Arrivals alternate just before and just after the tick: 0, 2, 0, 2… frames per gap.
      const gaps = Array.from({ length: 40 }, (_, t) => (t % 2 === 0 ? [] : [t - 1, t]));
      const { waited } = run(gaps);
      expect(Math.max(...waited)).toBeLessThanOrEqual(2);
      const tail = waited.slice(-10);
      expect(tail.filter((w) => w > 1).length).toBeLessThanOrEqual(5);
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
