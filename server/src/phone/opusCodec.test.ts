import { describe, expect, it } from 'vitest';
import { OpusApplication, OpusCodec } from './opusCodec.ts';

const FRAME = 160; // 20 ms at 8 kHz

function tone(hz: number, frame: number, amplitude = 8000): Buffer {
  const pcm = Buffer.alloc(FRAME * 2);
  for (let i = 0; i < FRAME; i++)
    pcm.writeInt16LE(
      Math.round(amplitude * Math.sin((2 * Math.PI * hz * (frame * FRAME + i)) / 8000)),
      i * 2,
    );
  return pcm;
}

/** Power at `hz` over the samples (Goertzel), as a share of the total power. */
function share(pcm: Buffer, hz: number): number {
  const n = pcm.length / 2;
  const k = 2 * Math.cos((2 * Math.PI * hz) / 8000);
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = pcm.readInt16LE(i * 2);
    total += x * x;
    const s = x + k * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = (s1 * s1 + s2 * s2 - k * s1 * s2) / (n / 2);
  return total === 0 ? 0 : power / total;
}

describe('OpusCodec', () => {
  it('carries a tone through encode and decode at 8 kHz', () => {
    const encoder = new OpusCodec(8000, 1, OpusApplication.VOIP);
    const decoder = new OpusCodec(8000, 1);
    let decoded: Buffer = Buffer.alloc(0);
    for (let frame = 0; frame < 25; frame++)
      decoded = decoder.decode(encoder.encode(tone(1000, frame), FRAME));
    expect(decoded.length).toBe(FRAME * 2);
    expect(share(decoded, 1000)).toBeGreaterThan(0.8);
    expect(share(decoded, 600)).toBeLessThan(0.05);
    encoder.delete();
    decoder.delete();
  });

  // 401 codecs: seconds of CPU on a loaded machine (6.9 s once), more than the default 5 s allows.
  it('keeps hundreds of codecs apart: one encoder gives the same packets whatever the others do', () => {
    const alone = new OpusCodec(8000, 1, OpusApplication.VOIP);
    const expected = Array.from({ length: 10 }, (_, frame) => alone.encode(tone(440, frame), FRAME));
    alone.delete();

    const watched = new OpusCodec(8000, 1, OpusApplication.VOIP);
    // opusscript's own wrapper failed at about 75 codecs in one process (RangeError), after writing
    // outside its buffers; 400 here, each used between the watched encoder's frames.
    const others = Array.from({ length: 400 }, () => new OpusCodec(8000, 1, OpusApplication.VOIP));
    const packets: Buffer[] = [];
    for (let frame = 0; frame < 10; frame++) {
      for (const [i, other] of others.entries())
        other.decode(other.encode(tone(200 + i, frame, 30000), FRAME));
      packets.push(watched.encode(tone(440, frame), FRAME));
    }
    expect(packets).toEqual(expected);
    for (const codec of [watched, ...others]) codec.delete();
  }, 30_000);

  it('refuses what is not a frame or a packet, and a deleted codec', () => {
    const codec = new OpusCodec(8000, 1);
    expect(() => codec.encode(Buffer.alloc(10), FRAME)).toThrow(RangeError);
    expect(() => codec.decode(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => new OpusCodec(44_100)).toThrow(RangeError);
    codec.delete();
    expect(() => codec.encode(tone(440, 0), FRAME)).toThrow(/deleted/);
  });
});
