/**
 * Phone legs (issue 13): what a phone leg costs and how many one core carries.
 *
 * - `phone.mixer.*`: CPU of the per-listener mix code per frame (mixerBench.ts): µs per phone
 *   listener, per browser (Opus) speaker and per phone (G.711) speaker.
 * - `phone.capacity.step` / `phone.capacity.legs_per_core`: real phone legs (SIP over UDP, G.711
 *   RTP at 50 packets/s, PhoneLegLoad.ts) dialled into the real server (SIP gateway, PIN, seat in a
 *   live call, mediasoup engine with one worker), three to a call, each hearing the other two
 *   through its own mix. The server process and its worker are pinned to one core; the ramp adds
 *   calls until a step fails. A step passes when the frame clock's lateness p99 is under
 *   LATE_P99_LIMIT_MS, no frame was skipped, the phones lost no packet (sequence gaps) and every
 *   tone burst a listener should have heard was heard.
 * - `phone.delay.mix_path`: packet in → mixed frame out, at the UDP boundary: from the phone's
 *   send of a burst's first packet to another phone's receipt of the first loud packet of the mix
 *   (PhoneLegLoad.ts). Included: loopback UDP both ways, the leg's G.711 decode and Opus encode,
 *   the mediasoup worker forwarding to each listener's plain RTP leg, the shared Opus decode, the
 *   wait in the listener's queue for the next 20 ms clock tick (0–20 ms by itself), the mix, the
 *   G.711 encode, and the generator's own event loop. Not included: any phone's jitter buffer.
 * - `phone.sip.*` (sippBench.ts): call set-up rate with sipp, and an INVITE flood against the
 *   production limits while a real call keeps its frames.
 *
 *   npx tsx bench/phone/phoneBench.ts [--quick] [--only=mixer,capacity,sip|flood]
 *   npm run bench -- --only=phone
 */
import { fileURLToPath } from 'node:url';
import { findWorkerBinary } from '../../server/src/media/mediasoup/workerBinary.ts';
import { emit, median, note, quantile, sleep } from '../media/support.ts';
import { runMixer, type MixerBenchOptions } from './mixerBench.ts';
import { PhoneLegLoad } from './PhoneLegLoad.ts';
import {
  addCalls,
  LATE_P99_LIMIT_MS,
  measureWindow,
  startPhoneServer,
  stopPhoneServer,
} from './phoneLegs.ts';
import { runSipp, type SippOptions } from './sippBench.ts';

/** A step whose clock skipped more of its frames than this is left out of CPU per leg. */
const MAX_SKIPPED_SHARE_FOR_CPU = 0.01;
/** Target of issue 13. */
const TARGET_LEGS_PER_CORE = 50;
const TARGET_DELAY_P99_MS = 20;

export interface PhoneBenchOptions {
  mixer: MixerBenchOptions;
  /** Calls (three legs each) at each step of the ramp. */
  callSteps: number[];
  warmMs: number;
  measureMs: number;
  sipp: SippOptions;
  /** Parts: mixer, capacity, sip. */
  parts: string[];
}

export const PHONE_BENCH: Record<'quick' | 'full', PhoneBenchOptions> = {
  quick: {
    mixer: {
      frames: 100,
      warmFrames: 25,
      listeners: [1, 10, 20],
      speakersForListenerSweep: 2,
      speakers: [1, 2, 4],
      listenersForSpeakerSweep: 5,
      repeats: 1,
    },
    callSteps: [2],
    warmMs: 1500,
    measureMs: 3000,
    // No flood in the quick run: it needs a second server and its time (CI runs the quick one).
    sipp: {
      rates: [10],
      secondsPerRate: 3,
      floodRate: 50,
      floodSeconds: 0,
      baselineSeconds: 3,
      retainedAfterMs: 0,
    },
    parts: ['mixer', 'capacity', 'sip'],
  },
  full: {
    mixer: {
      frames: 250,
      warmFrames: 50,
      listeners: [1, 25, 50, 100, 200],
      speakersForListenerSweep: 2,
      speakers: [1, 2, 4, 8],
      listenersForSpeakerSweep: 20,
      repeats: 2,
    },
    callSteps: [3, 8, 12, 17, 22, 27, 34, 40],
    warmMs: 2500,
    measureMs: 6000,
    sipp: {
      rates: [10, 25, 50, 100, 200],
      secondsPerRate: 6,
      floodRate: 500,
      floodSeconds: 10,
      baselineSeconds: 6,
      retainedAfterMs: 35_000,
    },
    parts: ['mixer', 'capacity', 'sip'],
  },
};

export async function runPhone(options: PhoneBenchOptions): Promise<void> {
  if (options.parts.includes('mixer')) await runMixer(options.mixer);
  const needsServer = ['capacity', 'sip', 'flood'].some((part) => options.parts.includes(part));
  if (!needsServer) return;
  const worker = findWorkerBinary();
  if (!worker.available) {
    // Phone legs are plain RTP legs of the mediasoup engine: without its worker there are none.
    note(`phone legs skipped: ${worker.reason}`);
    emit({ figure: 'phone.capacity.skipped', median: null, p99: null, unit: '', reason: worker.reason });
    if (process.env.PARLEY_REQUIRE_MEDIASOUP === '1')
      throw new Error(`phone legs need mediasoup: ${worker.reason}`);
    return;
  }
  if (options.parts.includes('capacity')) await runCapacity(options);
  // `sip`: the set-up rate and the flood; `flood`: the flood alone.
  if (options.parts.includes('sip') || options.parts.includes('flood'))
    await runSipp(options.sipp, { setupRate: options.parts.includes('sip') });
}

async function runCapacity(options: PhoneBenchOptions): Promise<void> {
  const { server, info } = await startPhoneServer('capacity');
  const load = new PhoneLegLoad(info.sipPort);
  let capacity = 0;
  let calls = 0;
  const delaySteps: { legs: number; median: number; p99: number }[] = [];
  const legsPerCoreByCpu: number[] = [];
  const skippedSteps: number[] = [];
  try {
    // The bare clock first: no leg, the machine's own noise floor for the lateness.
    const idle = await measureWindow(server, info, load, options.measureMs);
    note(
      `phone clock with no leg: lateness p50 ${idle.server.latenessP50Ms.toFixed(1)} p99 ${idle.server.latenessP99Ms.toFixed(1)} max ${idle.server.latenessMaxMs.toFixed(1)} ms, skipped ${idle.server.skipped}`,
    );
    emit({
      figure: 'phone.capacity.idle_clock',
      median: idle.server.latenessP50Ms,
      p99: idle.server.latenessP99Ms,
      unit: 'ms_clock_lateness',
      lateness_max_ms: idle.server.latenessMaxMs,
      skipped_frames: idle.server.skipped,
      frames: idle.server.frames,
      loop_delay_p99_ms: idle.server.loopDelayP99Ms,
    });
    for (const step of options.callSteps) {
      if (step > calls) {
        try {
          await addCalls(server, load, calls, step - calls);
        } catch (error) {
          note(`phone legs: the ramp stops at ${load.size} legs: ${String(error)}`);
          break;
        }
        calls = step;
      }
      await sleep(options.warmMs);
      const result = await measureWindow(server, info, load, options.measureMs);
      const { server: s, phones: p } = result;
      const delayMedian = median(p.delays);
      const delayP99 = quantile(p.delays, 0.99);
      delaySteps.push({ legs: result.legs, median: delayMedian, p99: delayP99 });
      // Each burst's delay in the order heard, leg by leg (a delay that grows over time shows here).
      if (process.env.PHONE_BENCH_DELAYS === '1')
        note(`delays (ms): ${p.delays.map((d) => d.toFixed(0)).join(' ')}`);
      note(
        `phone legs ${result.legs}: clock lateness p50 ${s.latenessP50Ms.toFixed(1)} p99 ${s.latenessP99Ms.toFixed(1)} max ${s.latenessMaxMs.toFixed(1)} ms, skipped ${s.skipped}, lost ${p.lost}/${p.received}, bursts ${p.burstsHeard}/${p.burstsExpected}, delay median ${delayMedian.toFixed(1)} p99 ${delayP99.toFixed(1)} ms, server+worker ${(result.cores * 100).toFixed(0)} % of a core: ${result.passed ? 'ok' : 'FAILED'}`,
      );
      emit({
        figure: 'phone.capacity.step',
        median: s.latenessP50Ms,
        p99: s.latenessP99Ms,
        unit: 'ms_clock_lateness',
        legs: result.legs,
        passed: result.passed,
        lateness_max_ms: s.latenessMaxMs,
        skipped_frames: s.skipped,
        frames: s.frames,
        loop_delay_p99_ms: s.loopDelayP99Ms,
        server_worker_cores: result.cores,
        cpu_us_per_leg_frame: (result.cores * 1e6) / (result.legs * 50),
        legs_per_core_by_cpu: result.legs / result.cores,
        phones_sent: p.sent,
        parley_received: s.rtpReceived,
        parley_sent: s.rtpSent,
        phones_received: p.received,
        phones_lost: p.lost,
        bursts_heard: p.burstsHeard,
        bursts_expected: p.burstsExpected,
        delay_median_ms: delayMedian,
        delay_p99_ms: delayP99,
        arrival_jitter_p99_ms: quantile(p.arrivalJitter, 0.99),
        generator_loop_delay_p99_ms: p.generatorLoopDelayP99Ms,
      });
      if (result.passed) capacity = result.legs;
      // CPU per leg is only read where the fixed costs (the clock, the worker's idle) are small beside
      // it, and where the frames were run: a server starved of CPU skips frames, and the mixes it
      // skips cost nothing, which would flatter the figure (seen at load average 13–18: 36–120 legs
      // with 30–98 % of the frames skipped).
      const skippedShare = s.skipped / Math.max(1, s.frames + s.skipped);
      if (result.legs >= 30 && skippedShare <= MAX_SKIPPED_SHARE_FOR_CPU)
        legsPerCoreByCpu.push(result.legs / result.cores);
      else if (result.legs >= 30) skippedSteps.push(result.legs);
    }
  } finally {
    await load.hangUpAll();
    await stopPhoneServer(server);
  }
  emit({
    figure: 'phone.capacity.legs_per_core_by_cpu',
    median: legsPerCoreByCpu.length ? median(legsPerCoreByCpu) : null,
    p99: null,
    unit: 'legs',
    steps: legsPerCoreByCpu.length,
    steps_left_out_for_skipped_frames: skippedSteps,
    target: TARGET_LEGS_PER_CORE,
    ratio_to_target: legsPerCoreByCpu.length ? median(legsPerCoreByCpu) / TARGET_LEGS_PER_CORE : null,
  });
  emit({
    figure: 'phone.capacity.legs_per_core',
    median: capacity,
    p99: null,
    unit: 'legs',
    target: TARGET_LEGS_PER_CORE,
    ratio_to_target: capacity / TARGET_LEGS_PER_CORE,
    lateness_p99_limit_ms: LATE_P99_LIMIT_MS,
  });
  // The delay at the lightest step (the path itself) and at capacity (under load).
  const lightest = delaySteps[0];
  const atCapacity = delaySteps.find((d) => d.legs === capacity) ?? lightest;
  for (const [name, d] of [
    ['lightest', lightest],
    ['at_capacity', atCapacity],
  ] as const) {
    if (!d) continue;
    emit({
      figure: `phone.delay.mix_path.${name}`,
      median: d.median,
      p99: d.p99,
      unit: 'ms',
      legs: d.legs,
      target_p99_ms: TARGET_DELAY_P99_MS,
      ratio_p99_to_target: d.p99 / TARGET_DELAY_P99_MS,
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const options = { ...PHONE_BENCH[quick ? 'quick' : 'full'] };
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (only) options.parts = only.split(',');
  const steps = process.argv.find((a) => a.startsWith('--calls='))?.slice('--calls='.length);
  if (steps) options.callSteps = steps.split(',').map(Number);
  const measure = process.argv.find((a) => a.startsWith('--measure-ms='))?.slice('--measure-ms='.length);
  if (measure) options.measureMs = Number(measure);
  runPhone(options).then(
    () => process.exit(0),
    (error: unknown) => {
      note(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
