/**
 * The measuring loop shared by Parley and Janus: a loopback baseline, then rooms of three added
 * step by step with every participant publishing 50 packets/s, each step measured for latency
 * (send → receive on this process's clock), loss, and the server's CPU and memory.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { LoadGenerator } from './LoadGenerator.ts';
import { CpuMeter, IpcChild, emit, median, note, sleep } from './support.ts';

export interface Target {
  name: string;
  /** The process whose CPU is the server's. */
  pid: number;
  /** Joins a room of three; its participants publish from the moment each is connected. */
  addRoom(index: number): Promise<{ joinMs: number[] }>;
  /** Server memory in bytes (after a collection where the server can). */
  memory(): Promise<number>;
  /**
   * Where the server can say: event-loop lateness and GC pauses since the last call, which then
   * starts a new window.
   */
  stalls?(): Promise<Record<string, number>>;
}

export interface SuiteOptions {
  steps: number[];
  warmMs: number;
  measureMs: number;
  /** Rooms joined one at a time first, for join-time figures on a lightly loaded server. */
  joinSamples: number;
  /** Address the baseline echo binds, the one the server listens on. */
  host: string;
  /** Measure every step even after failing ones (CPU and memory at loads past capacity). */
  allSteps?: boolean;
}

export interface StepResult {
  rooms: number;
  medianMs: number;
  p99Ms: number;
  addedMedianMs: number;
  addedP99Ms: number;
  lossPct: number;
  lost: number;
  serverCores: number;
  generatorCores: number;
  serverMemoryBytes: number;
  packetsInPerS: number;
  packetsOutPerS: number;
  /** How late the generator sent against its schedule (p99), beside its CPU. */
  generatorLateP99Ms: number;
}

export interface SuiteResult {
  baseline: { median: number; p99: number };
  joinMs: number[];
  steps: StepResult[];
  capacity: number;
  idleMemoryBytes: number;
}

/** Send → echo pinned to the server's core → receive, with the generator's full per-packet work. */
export async function measureBaseline(
  gen: LoadGenerator,
  host: string,
  ms: number,
): Promise<{ median: number; p99: number }> {
  const echo = new IpcChild<null>('./udpEcho.ts', 0, [], [host]);
  await echo.ready();
  const port = await echo.request<number>(null);
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const keys = { srtpSessionKey: randomBytes(16), srtpSessionSalt: randomBytes(12), profile: 7 };
  const streams = [];
  for (let i = 0; i < 3; i++) {
    const endpoint = gen.endpoint();
    endpoint.attachSocket(socket, host, port, keys);
    streams.push(gen.addStream(endpoint, 0x1000 + i, 1, 1));
  }
  gen.start();
  await sleep(500);
  gen.newEpoch();
  await sleep(ms);
  const epoch = gen.newEpoch();
  for (const stream of streams) stream.paused = true;
  await sleep(100);
  socket.close();
  await echo.stop();
  gen.streams.splice(0); // the baseline streams are done; the suite's streams start afresh
  gen.stop();
  return { median: epoch.latency.quantile(0.5), p99: epoch.latency.quantile(0.99) };
}

export async function runSuite(
  target: Target,
  gen: LoadGenerator,
  options: SuiteOptions,
): Promise<SuiteResult> {
  const name = target.name;
  const baseline = await measureBaseline(gen, options.host, options.measureMs);
  emit({ figure: `${name}.baseline.loopback`, median: baseline.median, p99: baseline.p99, unit: 'ms' });
  gen.start();
  const idleMemoryBytes = await target.memory();
  const joinMs: number[] = [];
  const steps: StepResult[] = [];
  let rooms = 0;
  let capacity = 0;
  let failures = 0;
  for (const step of options.steps) {
    const joinStart = performance.now();
    while (rooms < Math.min(step, options.joinSamples))
      joinMs.push(...(await target.addRoom(rooms++)).joinMs);
    // The rest four at a time: joins are CPU-heavy (DTLS) and would otherwise dominate the run.
    while (rooms < step) {
      const batch = [];
      for (let i = 0; i < 4 && rooms < step; i++) batch.push(target.addRoom(rooms++));
      await Promise.all(batch);
    }
    note(`${name}: ${rooms} rooms joined in ${((performance.now() - joinStart) / 1000).toFixed(1)} s`);
    await sleep(options.warmMs);
    gen.newEpoch();
    await target.stalls?.();
    const serverCpu = new CpuMeter(target.pid);
    const generatorCpu = new CpuMeter(process.pid);
    await sleep(options.measureMs);
    const serverCores = serverCpu.read();
    const generatorCores = generatorCpu.read();
    const epoch = gen.newEpoch();
    const stalls = await target.stalls?.();
    await sleep(300); // stragglers of the window still count
    const memory = await target.memory();
    const result: StepResult = {
      rooms,
      medianMs: epoch.latency.quantile(0.5),
      p99Ms: epoch.latency.quantile(0.99),
      addedMedianMs: epoch.latency.quantile(0.5) - baseline.median,
      // The baseline median, not its p99: on a shared machine its tail is other people's noise.
      addedP99Ms: epoch.latency.quantile(0.99) - baseline.median,
      lost: epoch.lost,
      lossPct: epoch.expected ? (100 * epoch.lost) / epoch.expected : 0,
      serverCores,
      generatorCores,
      serverMemoryBytes: memory,
      packetsInPerS: epoch.sent / (options.measureMs / 1000),
      packetsOutPerS: epoch.expected / (options.measureMs / 1000),
      generatorLateP99Ms: epoch.lateness.quantile(0.99),
    };
    steps.push(result);
    emit({
      figure: `${name}.step`,
      rooms,
      median: result.addedMedianMs,
      p99: result.addedP99Ms,
      unit: 'ms',
      raw_median: result.medianMs,
      raw_p99: result.p99Ms,
      loss_pct: result.lossPct,
      lost: result.lost,
      server_cores: serverCores,
      generator_cores: generatorCores,
      generator_late_p99_ms: result.generatorLateP99Ms,
      server_cpu_us_per_packet: (serverCores * 1e6) / (result.packetsInPerS + result.packetsOutPerS),
      server_rss_mb: memory / 2 ** 20,
      ...(stalls ? { server_stalls: stalls } : {}),
    });
    const ok = result.addedP99Ms < 5 && result.lost === 0;
    if (ok) capacity = rooms;
    if (generatorCores > 0.9)
      note(`${name}: the generator used ${(generatorCores * 100).toFixed(0)} % of its core`);
    failures = ok ? 0 : failures + 1;
    // One failed step on a shared machine may be someone else's noise; two, or a collapse, is not.
    if (!options.allSteps && (failures >= 2 || result.addedP99Ms > 50 || result.lossPct > 1)) break;
  }
  const first = steps[0];
  if (first) {
    emit({
      figure: `${name}.latency.added`,
      median: first.addedMedianMs,
      p99: first.addedP99Ms,
      unit: 'ms',
      rooms: first.rooms,
      raw_median: first.medianMs,
      raw_p99: first.p99Ms,
      baseline_median: baseline.median,
      baseline_p99: baseline.p99,
    });
  }
  emit({
    figure: `${name}.capacity`,
    median: capacity,
    p99: null,
    unit: 'rooms of three',
    criterion: 'largest step with p99 added < 5 ms and no loss',
    steps_tried: steps.map((s) => s.rooms),
  });
  const atCapacity = steps.find((s) => s.rooms === capacity) ?? first;
  if (atCapacity) {
    emit({
      figure: `${name}.cpu.per_consultation`,
      median: (atCapacity.serverCores * 100) / atCapacity.rooms,
      p99: null,
      unit: '% of one core',
      rooms: atCapacity.rooms,
      per_stream_pct: (atCapacity.serverCores * 100) / (atCapacity.rooms * 3),
    });
    emit({
      figure: `${name}.memory.per_consultation`,
      median: (atCapacity.serverMemoryBytes - idleMemoryBytes) / atCapacity.rooms / 1024,
      p99: null,
      unit: 'KiB',
      rooms: atCapacity.rooms,
      idle_rss_mb: idleMemoryBytes / 2 ** 20,
    });
  }
  if (joinMs.length) {
    const sorted = [...joinMs].sort((a, b) => a - b);
    emit({
      figure: `${name}.join.first_audio_headless`,
      median: median(joinMs),
      p99: sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)],
      unit: 'ms',
      samples: joinMs.length,
    });
  }
  return { baseline, joinMs, steps, capacity, idleMemoryBytes };
}
