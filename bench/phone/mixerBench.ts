/**
 * Phone mixer CPU (issue 13): the server's own per-listener mix code, run on the server's own 20 ms
 * clock in this process, with N speakers and M phone listeners, and the CPU it takes per frame.
 *
 * Each frame (one `PhoneClock` tick) does what a node does for its phone legs in that frame:
 * - a browser speaker's Opus packet (pre-encoded 20 ms packets, 48 kHz as browsers publish, more
 *   distinct packets than SpeakerDecoders remembers, so each is really decoded) reaches every
 *   listener: `SpeakerDecoders.decode` (the first listener decodes, the others find the frames by
 *   payload) and the listener's `SpeakerFrames` queue;
 * - a phone speaker's G.711 packet is decoded (`decodeG711`) and encoded to Opus at 8 kHz with the
 *   encoder settings of `RoomLeg.publish` (VOIP, complexity 5) before the same as a browser's;
 * - each listener takes its frames, `mixFrame`s them and sends the mix as G.711 RTP with a real
 *   `RtpLeg` (a UDP datagram to a sink socket on 127.0.0.1).
 * The engine's forwarding between publish and decode is not in this figure (see the phone legs
 * part, which runs the real server and engine).
 *
 * CPU: `process.cpuUsage()` (user + system, this process) around the frame's work, summed over
 * the frames; µs per listener and per speaker are the least-squares slopes over the sweeps.
 */
import { createSocket } from 'node:dgram';
import { OpusApplication, OpusCodec } from '../../server/src/phone/opusCodec.ts';
import { decodeG711, encodeG711 } from '../../server/src/phone/g711.ts';
import { FRAME_SAMPLES, mixFrame, SpeakerFrames, type MixInput } from '../../server/src/phone/ListenerMix.ts';
import { PhoneClock } from '../../server/src/phone/PhoneClock.ts';
import { OPUS_SET_COMPLEXITY } from '../../server/src/phone/RoomLeg.ts';
import { RtpLeg } from '../../server/src/phone/RtpLeg.ts';
import { SpeakerDecoders } from '../../server/src/phone/SpeakerDecoders.ts';
import { emit, median, note } from '../media/support.ts';

export interface MixerBenchOptions {
  /** Frames measured per point (after `warmFrames`). */
  frames: number;
  warmFrames: number;
  /** Listener counts, each hearing `speakersForListenerSweep` browser speakers. */
  listeners: number[];
  speakersForListenerSweep: number;
  /** Speaker counts, heard by `listenersForSpeakerSweep` listeners. */
  speakers: number[];
  listenersForSpeakerSweep: number;
  /** Repeats of each sweep (medians over them). */
  repeats: number;
}

/** More distinct packets per speaker than SpeakerDecoders keeps (64), so none is a cache hit across loops. */
const DISTINCT_PACKETS = 150;

/** Pre-encoded 20 ms Opus packets of a tone, as a browser publishes (48 kHz mono). */
function opusPackets(hz: number): Buffer[] {
  const encoder = new OpusCodec(48_000, 1, OpusApplication.VOIP);
  const samples = 960;
  const packets: Buffer[] = [];
  for (let p = 0; p < DISTINCT_PACKETS; p++) {
    const pcm = Buffer.alloc(samples * 2);
    for (let i = 0; i < samples; i++) {
      const t = (p * samples + i) / 48_000;
      // A tone with a slow tremolo: every packet differs.
      pcm.writeInt16LE(
        Math.round(8000 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)) * Math.sin(2 * Math.PI * hz * t)),
        i * 2,
      );
    }
    packets.push(Buffer.from(encoder.encode(pcm, samples)));
  }
  encoder.delete();
  return packets;
}

/** G.711 µ-law packets of a tone, as a phone sends them. */
function g711Packets(hz: number): Uint8Array[] {
  const packets: Uint8Array[] = [];
  for (let p = 0; p < DISTINCT_PACKETS; p++) {
    const frame = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++)
      frame[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * (p * FRAME_SAMPLES + i)) / 8000));
    const out = new Uint8Array(FRAME_SAMPLES);
    encodeG711('PCMU', frame, out);
    packets.push(out);
  }
  return packets;
}

interface Point {
  speakers: number;
  phoneSpeakers: number;
  listeners: number;
  /** CPU µs per frame (median over the measured frames is noisy at µs; this is total / frames). */
  cpuUsPerFrame: number;
  wallUsPerFrameMedian: number;
  wallUsPerFrameP99: number;
  lateTicks: number;
  skipped: number;
}

/** One point: `speakers` browser speakers and `phoneSpeakers` G.711 speakers, `listeners` phone listeners hearing all. */
async function measurePoint(
  speakers: number,
  phoneSpeakers: number,
  listeners: number,
  options: MixerBenchOptions,
  sink: { port: number },
): Promise<Point> {
  const decoders = new SpeakerDecoders();
  const browser = Array.from({ length: speakers }, (_, s) => opusPackets(300 + 100 * s));
  const phones = Array.from({ length: phoneSpeakers }, (_, s) => ({
    packets: g711Packets(350 + 100 * s),
    encoder: (() => {
      const e = new OpusCodec(8000, 1, OpusApplication.VOIP);
      e.encoderCTL(OPUS_SET_COMPLEXITY, 5);
      return e;
    })(),
    pcm: new Int16Array(FRAME_SAMPLES),
  }));
  const keys = [...browser.map((_, s) => `bench|browser${s}`), ...phones.map((_, s) => `bench|phone${s}`)];
  const legs = await Promise.all(
    Array.from({ length: listeners }, () =>
      RtpLeg.open(
        '127.0.0.1',
        { min: 40000, max: 49999 },
        {
          address: '127.0.0.1',
          port: sink.port,
          codec: { law: 'PCMU', payloadType: 0 },
          telephoneEventPayloadType: null,
        },
        { audio: () => undefined, key: () => undefined },
      ),
    ),
  );
  const listenerState = legs.map((leg) => {
    for (const key of keys) decoders.acquire(key);
    return {
      leg,
      queues: keys.map(() => new SpeakerFrames()),
      inputs: [] as MixInput[],
      out: new Int16Array(FRAME_SAMPLES),
    };
  });

  const clock = new PhoneClock();
  let frame = 0;
  let cpuUs = 0;
  const wall: number[] = [];
  const total = options.warmFrames + options.frames;
  const startedAt = performance.now();
  let lateTicks = 0;
  await new Promise<void>((resolve) => {
    const stop = clock.subscribe(() => {
      const expected = startedAt + (clock.ticks + clock.skipped) * 20;
      if (performance.now() - expected > 20) lateTicks++;
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const index = frame % DISTINCT_PACKETS;
      // What the engine would forward this frame: each speaker's Opus packet.
      const payloads: Buffer[] = browser.map((packets) => packets[index]!);
      for (const phone of phones) {
        decodeG711('PCMU', phone.packets[index]!, phone.pcm);
        const pcm = Buffer.from(phone.pcm.buffer, phone.pcm.byteOffset, phone.pcm.byteLength);
        payloads.push(Buffer.from(phone.encoder.encode(pcm, FRAME_SAMPLES)));
      }
      // Each listener leg receives each speaker's packet and mixes on the clock.
      for (const listener of listenerState) {
        for (let s = 0; s < keys.length; s++)
          for (const decoded of decoders.decode(keys[s]!, payloads[s]!)) listener.queues[s]!.push(decoded);
        listener.inputs.length = 0;
        for (const queue of listener.queues) {
          const taken = queue.take();
          if (taken) listener.inputs.push({ frame: taken, gain: 1 });
        }
        mixFrame(listener.inputs, listener.out);
        listener.leg.send(listener.out);
      }
      const used = process.cpuUsage(cpu);
      if (frame >= options.warmFrames) {
        cpuUs += used.user + used.system;
        wall.push((performance.now() - t0) * 1000);
      }
      frame++;
      if (frame >= total) {
        stop();
        resolve();
      }
    });
  });
  for (const leg of legs) leg.close();
  for (const phone of phones) phone.encoder.delete();
  for (const key of keys) for (let i = 0; i < listeners; i++) decoders.release(key);
  const sorted = [...wall].sort((a, b) => a - b);
  return {
    speakers: speakers + phoneSpeakers,
    phoneSpeakers,
    listeners,
    cpuUsPerFrame: cpuUs / options.frames,
    wallUsPerFrameMedian: median(wall),
    wallUsPerFrameP99: sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!,
    lateTicks,
    skipped: clock.skipped,
  };
}

/** Least-squares slope and intercept of y over x. */
function fit(points: { x: number; y: number }[]): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

export interface MixerResult {
  usPerListener: number;
  usPerBrowserSpeaker: number;
  usPerPhoneSpeaker: number;
}

export async function runMixer(options: MixerBenchOptions): Promise<MixerResult> {
  const sink = createSocket('udp4');
  let sunk = 0;
  sink.on('message', () => sunk++);
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  const port = sink.address().port;
  const perListener: number[] = [];
  const perSpeaker: number[] = [];
  const perPhoneSpeaker: number[] = [];
  try {
    // A first point, not counted: the code paths compiled before anything is measured.
    await measurePoint(options.speakersForListenerSweep, 1, options.listeners.at(-1)!, options, { port });
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      const byListeners: { x: number; y: number }[] = [];
      for (const m of options.listeners) {
        const point = await measurePoint(options.speakersForListenerSweep, 0, m, options, { port });
        note(
          `phone mixer: ${point.speakers} speakers, ${m} listeners: ${point.cpuUsPerFrame.toFixed(0)} µs CPU/frame (wall median ${point.wallUsPerFrameMedian.toFixed(0)} µs)`,
        );
        emit({
          figure: 'phone.mixer.point',
          median: point.cpuUsPerFrame,
          p99: null,
          unit: 'us_cpu_per_frame',
          ...point,
          repeat,
        });
        byListeners.push({ x: m, y: point.cpuUsPerFrame });
      }
      perListener.push(fit(byListeners).slope);
      const bySpeakers: { x: number; y: number }[] = [];
      const byPhoneSpeakers: { x: number; y: number }[] = [];
      for (const n of options.speakers) {
        const browserPoint = await measurePoint(n, 0, options.listenersForSpeakerSweep, options, { port });
        const phonePoint = await measurePoint(0, n, options.listenersForSpeakerSweep, options, { port });
        note(
          `phone mixer: ${n} speakers (browser / phone), ${options.listenersForSpeakerSweep} listeners: ${browserPoint.cpuUsPerFrame.toFixed(0)} / ${phonePoint.cpuUsPerFrame.toFixed(0)} µs CPU/frame`,
        );
        emit({
          figure: 'phone.mixer.point',
          median: browserPoint.cpuUsPerFrame,
          p99: null,
          unit: 'us_cpu_per_frame',
          ...browserPoint,
          repeat,
        });
        emit({
          figure: 'phone.mixer.point',
          median: phonePoint.cpuUsPerFrame,
          p99: null,
          unit: 'us_cpu_per_frame',
          ...phonePoint,
          repeat,
        });
        bySpeakers.push({ x: n, y: browserPoint.cpuUsPerFrame });
        byPhoneSpeakers.push({ x: n, y: phonePoint.cpuUsPerFrame });
      }
      perSpeaker.push(fit(bySpeakers).slope);
      perPhoneSpeaker.push(fit(byPhoneSpeakers).slope);
    }
  } finally {
    sink.close();
  }
  if (sunk === 0) throw new Error('the mixer benchmark sent no RTP');
  const result = {
    usPerListener: median(perListener),
    usPerBrowserSpeaker: median(perSpeaker),
    usPerPhoneSpeaker: median(perPhoneSpeaker),
  };
  emit({
    figure: 'phone.mixer.cpu_per_listener',
    median: result.usPerListener,
    p99: null,
    unit: 'us_cpu_per_frame',
    speakers_heard: options.speakersForListenerSweep,
    repeats: options.repeats,
  });
  emit({
    figure: 'phone.mixer.cpu_per_speaker',
    median: result.usPerBrowserSpeaker,
    p99: null,
    unit: 'us_cpu_per_frame',
    speaker: 'browser (Opus in)',
    listeners: options.listenersForSpeakerSweep,
  });
  emit({
    figure: 'phone.mixer.cpu_per_phone_speaker',
    median: result.usPerPhoneSpeaker,
    p99: null,
    unit: 'us_cpu_per_frame',
    speaker: 'phone (G.711 in, Opus out)',
    listeners: options.listenersForSpeakerSweep,
  });
  // A phone leg in a 3-party call is one phone speaker heard by 2 listeners and one listener of 2.
  return result;
}
