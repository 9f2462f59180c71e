/**
 * The phone legs' media CPU, measured without the network: per phone listener (decode each speaker
 * the plan sends it — Opus, as the room forwards it — mix at the plan's gains, encode G.711) and per
 * phone speaker (decode G.711, encode Opus once, with its level). Prints medians of several runs and
 * what they mean for legs per core at one 20 ms frame each. Usage:
 * With --listeners N, also N phone listeners of the same speakers sharing one decoder per speaker
 * (SpeakerDecoders, as the gateway runs them): the cost per listener with the decode amortised.
 *   npx tsx server/scripts/phone/benchMix.ts [--frames 3000] [--runs 5] [--speakers 2] [--listeners 3]
 */
import { performance } from 'node:perf_hooks';
import OpusScript from 'opusscript';
import { decodeG711, encodeG711 } from '../../src/phone/g711.ts';
import { OPUS_SET_COMPLEXITY } from '../../src/phone/RoomLeg.ts';
import { audioLevelOf, FRAME_SAMPLES, mixFrame, type MixInput } from '../../src/phone/ListenerMix.ts';
import { SpeakerDecoders } from '../../src/phone/SpeakerDecoders.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const frames = arg('frames', 3000);
const runs = arg('runs', 5);
const speakers = arg('speakers', 2);
const listeners = arg('listeners', 3);

const tone = (hz: number, frame: number) =>
  Int16Array.from({ length: FRAME_SAMPLES }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * hz * (frame * FRAME_SAMPLES + i)) / 8000)),
  );

// What the room would forward: each speaker's Opus packets (made once, outside the timing).
const opusOf: Buffer[][] = [];
for (let s = 0; s < speakers; s++) {
  const encoder = new OpusScript(8000, 1, OpusScript.Application.VOIP);
  const packets: Buffer[] = [];
  for (let f = 0; f < 250; f++)
    packets.push(Buffer.from(encoder.encode(Buffer.from(tone(400 + 300 * s, f).buffer), FRAME_SAMPLES)));
  opusOf.push(packets);
  encoder.delete();
}
const ulaw = new Uint8Array(FRAME_SAMPLES);
encodeG711('PCMU', tone(700, 0), ulaw);

function listenerRun(): number {
  const decoders = opusOf.map(() => new OpusScript(8000, 1));
  const out = new Int16Array(FRAME_SAMPLES);
  const payload = new Uint8Array(FRAME_SAMPLES);
  const inputs: MixInput[] = [];
  const start = performance.now();
  for (let f = 0; f < frames; f++) {
    inputs.length = 0;
    for (let s = 0; s < speakers; s++) {
      const pcm = decoders[s]!.decode(opusOf[s]![f % 250]!);
      const frame = new Int16Array(FRAME_SAMPLES);
      for (let i = 0; i < FRAME_SAMPLES; i++) frame[i] = pcm.readInt16LE(i * 2);
      inputs.push({ frame, gain: s === 0 ? 1 : 0.2 });
    }
    mixFrame(inputs, out);
    encodeG711('PCMU', out, payload);
  }
  const elapsed = performance.now() - start;
  for (const d of decoders) d.delete();
  return (elapsed * 1000) / frames;
}

/** `listeners` listeners of the same speakers, decoding through the shared decoders: µs per listener. */
function sharedListenerRun(): number {
  const decoders = new SpeakerDecoders();
  for (let s = 0; s < speakers; s++) for (let l = 0; l < listeners; l++) decoders.acquire(`room|${s}`);
  const out = new Int16Array(FRAME_SAMPLES);
  const payload = new Uint8Array(FRAME_SAMPLES);
  const inputs: MixInput[] = [];
  const start = performance.now();
  for (let f = 0; f < frames; f++) {
    for (let l = 0; l < listeners; l++) {
      inputs.length = 0;
      for (let s = 0; s < speakers; s++) {
        // Each listener receives its own copy of the packet, as off the network.
        const [frame] = decoders.decode(`room|${s}`, Buffer.from(opusOf[s]![f % 250]!));
        inputs.push({ frame: frame!, gain: s === 0 ? 1 : 0.2 });
      }
      mixFrame(inputs, out);
      encodeG711('PCMU', out, payload);
    }
  }
  const elapsed = performance.now() - start;
  for (let s = 0; s < speakers; s++) for (let l = 0; l < listeners; l++) decoders.release(`room|${s}`);
  return (elapsed * 1000) / frames / listeners;
}

function speakerRun(): number {
  const encoder = new OpusScript(8000, 1, OpusScript.Application.VOIP);
  encoder.encoderCTL(OPUS_SET_COMPLEXITY, 5); // as RoomLeg encodes
  const frame = new Int16Array(FRAME_SAMPLES);
  const start = performance.now();
  for (let f = 0; f < frames; f++) {
    decodeG711('PCMU', ulaw, frame);
    audioLevelOf(frame);
    encoder.encode(Buffer.from(frame.buffer), FRAME_SAMPLES);
  }
  const elapsed = performance.now() - start;
  encoder.delete();
  return (elapsed * 1000) / frames;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
listenerRun();
speakerRun(); // warm-up (wasm compilation)
sharedListenerRun();
const listener = median(Array.from({ length: runs }, listenerRun));
const speaker = median(Array.from({ length: runs }, speakerRun));
const shared = median(Array.from({ length: runs }, sharedListenerRun));
const perLeg = listener + speaker;
console.log(
  JSON.stringify(
    {
      frames,
      runs,
      speakersPerListener: speakers,
      listenerUsPerFrame: Math.round(listener * 10) / 10,
      speakerUsPerFrame: Math.round(speaker * 10) / 10,
      // One leg talks and listens; a core has 20 000 µs per 20 ms frame.
      legsPerCore: Math.floor(20_000 / perLeg),
      // The same with one decoder per speaker shared by `listeners` phone listeners.
      listenersSharingDecode: listeners,
      sharedListenerUsPerFrame: Math.round(shared * 10) / 10,
      legsPerCoreSharedDecode: Math.floor(20_000 / (shared + speaker)),
    },
    null,
    2,
  ),
);
