import { describe, expect, it } from 'vitest';
import { audioLevelOf, FRAME_SAMPLES, mixFrame, SpeakerFrames } from './ListenerMix.ts';

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

  it('queues a few frames per speaker and drops the oldest when the clock falls behind', () => {
    const frames = new SpeakerFrames();
    for (let i = 0; i < 6; i++) frames.push(Int16Array.of(i));
    expect(frames.dropped).toBe(2);
    expect(frames.take()?.[0]).toBe(2);
    frames.clear();
    expect(frames.take()).toBeNull();
  });

  it('gives RFC 6464 levels: full-scale near 0, silence 127', () => {
    expect(audioLevelOf(tone(400, 32767))).toBeLessThanOrEqual(4);
    expect(audioLevelOf(new Int16Array(FRAME_SAMPLES))).toBe(127);
    expect(audioLevelOf(tone(400, 328))).toBeGreaterThan(40);
  });
});
