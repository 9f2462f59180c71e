import { describe, expect, it } from 'vitest';
import { decodeG711, encodeG711, G711_SILENCE, type G711Law } from './g711.ts';

function roundTrip(law: G711Law, samples: number[]): number[] {
  const encoded = new Uint8Array(samples.length);
  encodeG711(law, Int16Array.from(samples), encoded);
  const decoded = new Int16Array(samples.length);
  decodeG711(law, encoded, decoded);
  return [...decoded];
}

describe('G.711', () => {
  for (const law of ['PCMU', 'PCMA'] as const) {
    it(`${law}: a round trip keeps every sample within the law's step (under 1/16 of its size)`, () => {
      const samples: number[] = [];
      for (let s = -32768; s < 32768; s += 97) samples.push(s);
      const back = roundTrip(law, samples);
      for (let i = 0; i < samples.length; i++) {
        const error = Math.abs(back[i]! - samples[i]!);
        expect(error).toBeLessThanOrEqual(Math.max(16, Math.abs(samples[i]!) / 16) + 1);
      }
    });

    it(`${law}: keeps the sign and the order of samples`, () => {
      const back = roundTrip(law, [-20000, -1000, -40, 40, 1000, 20000]);
      expect(back.map(Math.sign)).toEqual([-1, -1, -1, 1, 1, 1]);
      for (let i = 1; i < back.length; i++) expect(back[i]!).toBeGreaterThan(back[i - 1]!);
    });

    it(`${law}: the silence byte decodes to (nearly) nothing`, () => {
      const out = new Int16Array(1);
      decodeG711(law, Uint8Array.of(G711_SILENCE[law]), out);
      expect(Math.abs(out[0]!)).toBeLessThanOrEqual(8);
    });
  }

  it('knows the standard code points (µ-law 0x00 is the loudest negative, A-law 0xd5 a tiny positive)', () => {
    const out = new Int16Array(2);
    decodeG711('PCMU', Uint8Array.of(0x00, 0x80), out);
    expect([...out]).toEqual([-32124, 32124]);
    decodeG711('PCMA', Uint8Array.of(0xd5, 0x55), out);
    expect([...out]).toEqual([8, -8]);
  });
});
