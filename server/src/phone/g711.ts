/**
 * G.711 (ITU-T) µ-law and A-law: 8-bit companded samples, 8 kHz. Encoding and decoding go through
 * 64 KiB and 256-entry tables built once, so a 20 ms frame (160 samples) costs a few hundred
 * table reads — cheaper than any branchy per-sample code.
 */

const BIAS = 0x84;
const CLIP = 32635;

function encodeMuLawSample(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(CLIP, Math.abs(sample)) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = ~(sign | (exponent << 4) | mantissa);
  return magnitude & 0xff;
}

function decodeMuLawSample(byte: number): number {
  const value = ~byte & 0xff;
  const sign = value & 0x80;
  const exponent = (value >> 4) & 0x07;
  const mantissa = value & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return sign ? -magnitude : magnitude;
}

function encodeALawSample(sample: number): number {
  const sign = sample >= 0 ? 0xd5 : 0x55;
  let magnitude = Math.min(32767, sample < 0 ? -sample - 1 : sample);
  let compressed: number;
  if (magnitude < 256) {
    compressed = magnitude >> 4;
  } else {
    let exponent = 7;
    for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 1; mask >>= 1) exponent--;
    magnitude = (magnitude >> (exponent + 3)) & 0x0f;
    compressed = (exponent << 4) | magnitude;
  }
  return (compressed ^ sign) & 0xff;
}

function decodeALawSample(byte: number): number {
  const value = byte ^ 0x55;
  const exponent = (value & 0x70) >> 4;
  const mantissa = value & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  if ((value & 0x80) === 0) magnitude = -magnitude;
  return magnitude;
}

function buildTables(encode: (s: number) => number, decode: (b: number) => number) {
  const toLinear = new Int16Array(256);
  for (let b = 0; b < 256; b++) toLinear[b] = decode(b);
  const fromLinear = new Uint8Array(65536);
  for (let s = -32768; s < 32768; s++) fromLinear[s & 0xffff] = encode(s);
  return { toLinear, fromLinear };
}

const MU_LAW = buildTables(encodeMuLawSample, decodeMuLawSample);
const A_LAW = buildTables(encodeALawSample, decodeALawSample);

export type G711Law = 'PCMU' | 'PCMA';

/** Decodes `payload` (one byte a sample) into `out` (16-bit linear); returns the samples written. */
export function decodeG711(law: G711Law, payload: Uint8Array, out: Int16Array): number {
  const table = law === 'PCMU' ? MU_LAW.toLinear : A_LAW.toLinear;
  const n = Math.min(payload.length, out.length);
  for (let i = 0; i < n; i++) out[i] = table[payload[i]!]!;
  return n;
}

/** Encodes 16-bit linear samples into `out`, one byte a sample. */
export function encodeG711(law: G711Law, samples: Int16Array, out: Uint8Array): void {
  const table = law === 'PCMU' ? MU_LAW.fromLinear : A_LAW.fromLinear;
  const n = Math.min(samples.length, out.length);
  for (let i = 0; i < n; i++) out[i] = table[samples[i]! & 0xffff]!;
}

/** The byte that decodes to silence (0): what a phone hears when nobody is sent to it. */
export const G711_SILENCE: Record<G711Law, number> = { PCMU: 0xff, PCMA: 0xd5 };
