import { createRequire } from 'node:module';

/**
 * Opus for the phone legs: libopus compiled to WebAssembly by the `opusscript` package, driven
 * through its compiled module directly rather than its JavaScript wrapper.
 *
 * Why not `new OpusScript()`: its wrapper (0.0.8 to 0.1.1) keeps the PCM buffers as
 * `HEAPU16.subarray(pointer, …)` — a byte address used as a 16-bit index — and hands the compiled
 * code `byteOffset`, twice the address it allocated. Every encode and decode therefore writes
 * outside its own allocation, into whatever lives at twice the address, and once that lies past the
 * end of the WebAssembly memory the call throws `RangeError: offset is out of bounds` (at about 75
 * encoders in one process; the phone benchmark's server died at 51 legs, from a UDP handler). The
 * compiled handler itself is sound: it reads and writes PCM as one byte per 16-bit element at the
 * byte address it is given. This class gives it exactly that, inside buffers it allocated, so any
 * number of codecs share one module without touching each other's memory.
 */

/** The compiled module's surface used here (emscripten + embind). */
interface OpusModule {
  OpusScriptHandler: new (samplingRate: number, channels: number, application: number) => OpusHandler;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  /** Re-read on every use: the views are replaced when the memory grows. */
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
}
interface OpusHandler {
  _encode(pcmPointer: number, pcmBytes: number, outPointer: number, frameSize: number): number;
  _decode(opusPointer: number, opusBytes: number, pcmPointer: number): number;
  _encoder_ctl(ctl: number, arg: number): number;
  _decoder_ctl(ctl: number, arg: number): number;
  delete(): void;
}

export const OpusApplication = { VOIP: 2048, AUDIO: 2049, RESTRICTED_LOWDELAY: 2051 } as const;

const SAMPLING_RATES = new Set([8000, 12000, 16000, 24000, 48000]);
/** 120 ms at 48 kHz: the longest frame libopus decodes. */
const MAX_FRAME_SAMPLES = 5760;
const MAX_PACKET_BYTES = 1276 * 3;

let shared: OpusModule | null = null;
function opusModule(): OpusModule {
  if (!shared) {
    const load = createRequire(import.meta.url)(
      'opusscript/build/opusscript_native_wasm.js',
    ) as () => OpusModule;
    shared = load();
  }
  return shared;
}

export class OpusCodec {
  private readonly module = opusModule();
  private readonly handler: OpusHandler;
  /** One 16-bit element per PCM byte, as the compiled handler reads and writes it. */
  private readonly pcmIn: number;
  private readonly pcmOut: number;
  private readonly opusIn: number;
  private readonly opusOut: number;
  private readonly maxPcmBytes: number;
  private deleted = false;

  constructor(
    samplingRate: number,
    private readonly channels: 1 | 2 = 1,
    application: number = OpusApplication.AUDIO,
  ) {
    if (!SAMPLING_RATES.has(samplingRate))
      throw new RangeError(`${samplingRate} is not an Opus sampling rate`);
    this.handler = new this.module.OpusScriptHandler(samplingRate, channels, application);
    this.maxPcmBytes = MAX_FRAME_SAMPLES * channels * 2;
    this.pcmIn = this.module._malloc(this.maxPcmBytes * 2);
    this.pcmOut = this.module._malloc(this.maxPcmBytes * 2);
    this.opusIn = this.module._malloc(MAX_PACKET_BYTES);
    this.opusOut = this.module._malloc(MAX_PACKET_BYTES);
  }

  /** One frame of 16-bit little-endian PCM (`frameSize` samples per channel) to an Opus packet. */
  encode(pcm: Buffer, frameSize: number): Buffer {
    this.live();
    if (pcm.length > this.maxPcmBytes || pcm.length !== frameSize * this.channels * 2)
      throw new RangeError(`${pcm.length} bytes is not a frame of ${frameSize} samples`);
    // Assigned element by element: each byte widens to one 16-bit element.
    this.module.HEAPU16.set(pcm, this.pcmIn >> 1);
    const length = this.handler._encode(this.pcmIn, pcm.length, this.opusOut, frameSize);
    if (length < 0) throw new Error(`Opus encode failed (${length})`);
    return Buffer.from(this.module.HEAPU8.subarray(this.opusOut, this.opusOut + length));
  }

  /** An Opus packet to 16-bit little-endian PCM. */
  decode(packet: Buffer): Buffer {
    this.live();
    if (packet.length === 0 || packet.length > MAX_PACKET_BYTES)
      throw new RangeError(`${packet.length} bytes is not an Opus packet`);
    this.module.HEAPU8.set(packet, this.opusIn);
    const samples = this.handler._decode(this.opusIn, packet.length, this.pcmOut);
    if (samples < 0) throw new Error(`Opus decode failed (${samples})`);
    const bytes = samples * this.channels * 2;
    const start = this.pcmOut >> 1;
    // Narrowed element by element back to bytes.
    return Buffer.from(this.module.HEAPU16.subarray(start, start + bytes));
  }

  encoderCTL(ctl: number, arg: number): void {
    this.live();
    const result = this.handler._encoder_ctl(ctl, arg);
    if (result < 0) throw new Error(`Opus encoder control ${ctl} failed (${result})`);
  }

  /** Frees the codec and its buffers; it cannot be used again. */
  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    this.handler.delete();
    for (const pointer of [this.pcmIn, this.pcmOut, this.opusIn, this.opusOut]) this.module._free(pointer);
  }

  private live(): void {
    if (this.deleted) throw new Error('This Opus codec was deleted');
  }
}
