import { OpusApplication, OpusCodec } from './opusCodec.ts';
import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES } from './ListenerMix.ts';
import { SpeakerDecoders } from './SpeakerDecoders.ts';

/** A speaker's Opus packets, as the room would forward them: a tone, 20 ms each. */
function packets(hz: number, count: number): Buffer[] {
  const encoder = new OpusCodec(8000, 1, OpusApplication.VOIP);
  const out: Buffer[] = [];
  for (let f = 0; f < count; f++) {
    const pcm = Int16Array.from({ length: FRAME_SAMPLES }, (_, i) =>
      Math.round(8000 * Math.sin((2 * Math.PI * hz * (f * FRAME_SAMPLES + i)) / 8000)),
    );
    out.push(Buffer.from(encoder.encode(Buffer.from(pcm.buffer), FRAME_SAMPLES)));
  }
  encoder.delete();
  return out;
}

describe('speaker decoders shared by phone listeners', () => {
  it('decode each packet once for every listener of a speaker, with what a decoder of its own gives', () => {
    const decoders = new SpeakerDecoders();
    const speaker = packets(440, 20);
    decoders.acquire('room|a');
    decoders.acquire('room|a');
    const own = new OpusCodec(8000, 1);
    for (const packet of speaker) {
      // Two listeners receive the same packet (each its own copy, as off the network).
      const first = decoders.decode('room|a', Buffer.from(packet));
      const second = decoders.decode('room|a', Buffer.from(packet));
      expect(second).toBe(first);
      const expected = own.decode(packet);
      expect(Buffer.from(first[0]!.buffer)).toEqual(
        Buffer.from(expected.buffer, expected.byteOffset, expected.length),
      );
    }
    own.delete();
    expect(decoders.counters).toEqual({ decoded: 20, shared: 20 });
    expect(decoders.size).toBe(1);
    decoders.release('room|a');
    expect(decoders.size).toBe(1);
    decoders.release('room|a');
    expect(decoders.size).toBe(0);
  });

  it('keep speakers apart: another speaker, or the same person in another room, has a decoder of its own', () => {
    const decoders = new SpeakerDecoders();
    for (const key of ['room1|a', 'room1|b', 'room2|a']) decoders.acquire(key);
    const a = packets(440, 1)[0]!;
    const b = packets(1000, 1)[0]!;
    decoders.decode('room1|a', a);
    decoders.decode('room1|b', b);
    decoders.decode('room2|a', a);
    expect(decoders.counters).toEqual({ decoded: 3, shared: 0 });
    expect(() => decoders.decode('room3|c', a)).toThrow(/No decoder/);
  });
});
