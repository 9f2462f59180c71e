/**
 * The benchmark suite: Parley's media path on its werift engine (latency, capacity, CPU and memory
 * per consultation, join time, routing switch), a mediasoup worker and Janus measured beside it in
 * the same run, then the scheduling benchmark. One JSON line per figure on stdout; progress on
 * stderr. Stops by itself.
 *
 *   npm run bench           # whole suite, under 10 minutes on 2 cores
 *   npm run bench:quick     # about a minute; CI runs it (no timing assertions)
 *
 * The engines: MEDIA_ENGINE=werift or =mediasoup measures that one only (the media and join parts);
 * unset or `auto`, both, compared in the same run. mediasoup is expected, and its absence fails the
 * run, when MEDIA_ENGINE=mediasoup, when PARLEY_REQUIRE_MEDIASOUP=1 (CI), or when a worker binary is
 * found (it must then start); without a worker and not required, its parts are skipped with a
 * `*.skipped` figure saying why.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SuiteResult } from './media/capacity.ts';
import {
  createNamespace,
  deleteNamespace,
  ensureJanus,
  janusGeneratorCommand,
  startJanus,
} from './media/janusSetup.ts';
import { CLUSTER_BENCH, runCluster } from './cluster.ts';
import { runJoin, type JoinEngine } from './join/joinBench.ts';
import { runMediasoup } from './media/mediasoupBench.ts';
import { PHONE_BENCH, runPhone } from './phone/phoneBench.ts';
import { runParley } from './media/parleyBench.ts';
import { RELAY_BENCH, runRelay } from './media/relayBench.ts';
import { emit, median, note, pinSelf } from './media/support.ts';
import { findWorkerBinary } from '../server/src/media/mediasoup/workerBinary.ts';

const quick = process.argv.includes('--quick');
/**
 * `--only=parley,mediasoup`: only these parts (parley, mediasoup, relay, janus, join, phone, scheduling; and
 * cluster, which runs only when named: it needs PostgreSQL and Redis, see cluster.ts).
 */
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (part: string) => !only || only.includes(part);
/** `--steps=10,20`: only these room counts (for a focused run or a profile). */
const stepsArg = process.argv.find((a) => a.startsWith('--steps='))?.slice('--steps='.length);
/** `--audio-path=werift`: Parley's engine with werift's own audio path (as before the optimisation). */
const audioPath = process.argv.includes('--audio-path=werift') ? 'werift' : 'lean';
/** `--profile=DIR`: the Parley server writes a V8 CPU profile there when it stops. */
const profileDir = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);

const parleyOptions = quick
  ? { steps: [2], warmMs: 500, measureMs: 2000, joinSamples: 2, host: '127.0.0.1', routingToggles: 4 }
  : {
      steps: [5, 10, 20, 30, 40, 50, 60, 80, 100],
      warmMs: 1500,
      measureMs: 5000,
      joinSamples: 10,
      host: '127.0.0.1',
      routingToggles: 40,
    };
if (stepsArg) parleyOptions.steps = stepsArg.split(',').map(Number);
/** `--all-steps`: keep stepping after failed steps (CPU and memory past capacity). */
const allSteps = process.argv.includes('--all-steps');

/**
 * The engines this run measures (see the top of this file), or an error when one it must measure
 * cannot run. Decided once, before anything is measured, so a missing worker fails at once.
 */
function chooseEngines(): JoinEngine[] {
  const choice = process.env.MEDIA_ENGINE || 'auto';
  if (choice !== 'auto' && choice !== 'mediasoup' && choice !== 'werift')
    throw new Error(`MEDIA_ENGINE must be auto, mediasoup or werift, got "${choice}"`);
  if (choice === 'werift') return ['werift'];
  const binary = findWorkerBinary();
  const required =
    choice === 'mediasoup'
      ? 'MEDIA_ENGINE=mediasoup'
      : process.env.PARLEY_REQUIRE_MEDIASOUP === '1'
        ? 'PARLEY_REQUIRE_MEDIASOUP=1'
        : undefined;
  if (!binary.available) {
    if (required) throw new Error(`${required}, but the mediasoup engine cannot run here: ${binary.reason}`);
    note(`mediasoup skipped (the werift engine only): ${binary.reason}`);
    emit({ figure: 'mediasoup.skipped', median: null, p99: null, unit: '', reason: binary.reason });
    return ['werift'];
  }
  note(`mediasoup worker: ${binary.path} (${binary.source})`);
  return choice === 'mediasoup' ? ['mediasoup'] : ['mediasoup', 'werift'];
}

async function main(): Promise<void> {
  // The generator runs here on core 1; servers are started on core 0.
  await pinSelf(1);
  const engines = chooseEngines();
  note(`engines: ${engines.join(', ')}`);
  if (runs('parley') && !engines.includes('werift'))
    note('werift (parley) part skipped: MEDIA_ENGINE=mediasoup');
  let parley: SuiteResult | undefined;
  if (runs('parley') && engines.includes('werift')) {
    parley = await runParley({ ...parleyOptions, profileDir, audioPath, allSteps });
    // The engine as it was before the optimisation (werift's own audio path), in the same run.
    if (!quick && !stepsArg && audioPath === 'lean')
      await runParley({
        ...parleyOptions,
        steps: [5, 10, 20],
        joinSamples: 3,
        routingToggles: 10,
        audioPath: 'werift',
      });
  }
  let mediasoup: SuiteResult | undefined;
  if (runs('mediasoup') && engines.includes('mediasoup')) {
    mediasoup = await runMediasoup({ ...parleyOptions, allSteps });
    if (!mediasoup) throw new Error('the mediasoup media part did not run (see mediasoup.skipped)');
  }
  if (parley && mediasoup) emitEngineRatios('mediasoup', mediasoup, 'parley', parley);
  // Relay with four participants per room against rooms of three (issue 17). The quick run (CI)
  // measures the first engine only (mediasoup where it runs); the full run each, as the media parts do.
  if (runs('relay'))
    await runRelay(RELAY_BENCH[quick ? 'quick' : 'full'], quick ? engines.slice(0, 1) : engines);
  if (runs('janus')) {
    const janus = await runJanus().catch((error: unknown) => {
      note(`Janus part failed: ${String(error)}`);
      return undefined;
    });
    if (parley && janus) emitRatios('parley', parley, janus);
    if (mediasoup && janus) emitRatios('mediasoup', mediasoup, janus);
  }
  // Two Chromium joins even when quick: the second is a rejoin of the same tab, a path of its own.
  if (runs('join'))
    await runJoin({ signallingSamples: quick ? 2 : 10, chromiumSamples: quick ? 2 : 5, engines });
  // Phone legs (issue 13): mixer CPU, legs per core, mix-path delay, sipp; the legs need mediasoup.
  if (runs('phone')) await runPhone(PHONE_BENCH[quick ? 'quick' : 'full']);
  if (runs('scheduling')) await runScheduling();
  if (only?.includes('cluster')) await runCluster(CLUSTER_BENCH[quick ? 'quick' : 'full']);
}

type Figures = Map<string, Record<string, number>>;

/** Janus in its namespace, its generator as a child there; returns the figures it printed. */
async function runJanus(): Promise<Figures | undefined> {
  const missing = await ensureJanus(!quick);
  if (missing) {
    note(`Janus skipped: ${missing}`);
    emit({ figure: 'janus.skipped', median: null, p99: null, unit: '', reason: missing });
    return undefined;
  }
  await createNamespace();
  const janus = await startJanus();
  try {
    const figures: Figures = new Map();
    await new Promise<void>((resolve, reject) => {
      const child = spawn('ip', janusGeneratorCommand(janus.pid!, quick), {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let buffered = '';
      child.stdout.on('data', (d: Buffer) => {
        process.stdout.write(d);
        buffered += d.toString();
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          try {
            const figure = JSON.parse(line) as Record<string, number> & { figure: string };
            figures.set(String(figure.figure), figure);
          } catch {
            // not a figure
          }
        }
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`janus generator exited ${code}`)),
      );
    });
    return figures;
  } finally {
    janus.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (janus.exitCode === null) janus.kill('SIGKILL');
    await deleteNamespace();
  }
}

/** Worker (or server) CPU per packet handled, in + out, at one step. */
function cpuUsPerPacket(step: SuiteResult['steps'][number]): number {
  return (step.serverCores * 1e6) / (step.packetsInPerS + step.packetsOutPerS);
}

/** Engine A over engine B from the one run: CPU per packet at the room counts both measured, capacity. */
function emitEngineRatios(nameA: string, a: SuiteResult, nameB: string, b: SuiteResult): void {
  const perStep = a.steps
    .map((stepA) => ({ stepA, stepB: b.steps.find((s) => s.rooms === stepA.rooms) }))
    .filter(
      (pair): pair is { stepA: typeof pair.stepA; stepB: NonNullable<typeof pair.stepB> } => !!pair.stepB,
    )
    .map(({ stepA, stepB }) => cpuUsPerPacket(stepA) / cpuUsPerPacket(stepB));
  if (perStep.length) {
    emit({
      figure: `ratio.${nameA}_over_${nameB}.cpu_per_packet`,
      median: median(perStep),
      p99: null,
      unit: 'ratio',
      steps: perStep.length,
    });
  }
  if (b.capacity > 0) {
    emit({
      figure: `ratio.${nameA}_over_${nameB}.capacity`,
      median: a.capacity / b.capacity,
      p99: null,
      unit: 'ratio',
    });
  }
}

/** Engine/Janus ratios from the one run (below 1: the engine lower, i.e. better for all three). */
function emitRatios(name: string, parley: SuiteResult, janus: Figures): void {
  const janusLatency = janus.get('janus.latency.added');
  const janusCpu = janus.get('janus.cpu.per_consultation');
  const janusCapacity = janus.get('janus.capacity');
  const first = parley.steps[0];
  if (janusLatency && first) {
    emit({
      figure: `ratio.${name}_over_janus.latency_raw`,
      median: first.medianMs / janusLatency.raw_median!,
      p99: first.p99Ms / janusLatency.raw_p99!,
      unit: 'ratio',
      rooms: first.rooms,
    });
  }
  const atCapacity = parley.steps.find((s) => s.rooms === parley.capacity) ?? first;
  if (janusCpu && atCapacity) {
    emit({
      figure: `ratio.${name}_over_janus.cpu_per_stream`,
      median: (atCapacity.serverCores * 100) / (atCapacity.rooms * 3) / janusCpu.per_stream_pct!,
      p99: null,
      unit: 'ratio',
    });
  }
  if (janusCapacity) {
    emit({
      figure: `ratio.${name}_over_janus.capacity`,
      median: parley.capacity / janusCapacity.median!,
      p99: null,
      unit: 'ratio',
    });
  }
}

function runScheduling(): Promise<void> {
  const file = fileURLToPath(new URL('./scheduling.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scheduling benchmark exited ${code}`)),
    );
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    note(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
