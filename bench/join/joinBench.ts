/**
 * Join time through the real Parley server: `parley.join.signalling_first_audio` (a headless werift
 * client through REST + socket.io, to the first forwarded packet) and
 * `parley.join.chromium_first_audible` (a Chromium participant, from its click on "Join call" to
 * the first tone its page plays). See signallingJoin.ts and chromiumJoin.ts for what each covers.
 *
 * Each engine asked for (mediasoup with one worker, werift) gets its own server, measured one
 * after the other in the same run, and the figures carry the engine; `ratio.join.mediasoup_over_werift.*`
 * compares them (median and p95). In Chromium the page runs mediasoup-client on mediasoup and its
 * SDP session on werift; the benchmark fails if the page's session is not the engine's.
 *
 * The server is `startTestServer` (real database, REST, socket.io) in a child
 * process pinned to core 0, as the media benchmark pins its server; the clients run here, on
 * core 1, and so do the browsers this process launches. The client is built fresh into a
 * temporary folder (about a second) so the browsers get the code of this checkout without
 * touching client/dist.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_PATH } from '../../e2e/chromium.ts';
import { emit, IpcChild, median, note, quantile } from '../media/support.ts';
import { measureChromiumJoin } from './chromiumJoin.ts';
import type { JoinServerInfo, JoinServerRequest } from './joinServer.ts';
import { measureSignallingJoin } from './signallingJoin.ts';

export interface JoinBenchServer extends JoinServerInfo {
  /** A new consultation joinable now (the demo case at Adams), with this kiosk PIN. */
  consultation(kioskPin: string): Promise<string>;
}

export type JoinEngine = 'mediasoup' | 'werift';

export interface JoinBenchOptions {
  /** Timed joins through the signalling (headless). */
  signallingSamples: number;
  /** Timed Chromium joins; 0 skips Chromium. */
  chromiumSamples: number;
  /**
   * The engines to measure, each with a server of its own, one after the other in this run
   * (bench/run.ts decides which: MEDIA_ENGINE, and whether mediasoup must run).
   */
  engines: JoinEngine[];
}

type JoinFigures = Partial<Record<JoinEngine, { signalling: number[]; chromium?: number[] }>>;

const CLIENT_DIR = fileURLToPath(new URL('../../client/', import.meta.url));

export async function runJoin(options: JoinBenchOptions): Promise<void> {
  const started = performance.now();
  let skipChromium = options.chromiumSamples > 0 ? chromiumMissing() : 'no Chromium samples asked for';
  let clientDist: string | undefined;
  if (!skipChromium) {
    try {
      clientDist = await buildClient();
    } catch (error) {
      skipChromium = `the client could not be built: ${String(error)}`;
    }
  }
  const figures: JoinFigures = {};
  try {
    for (const engine of options.engines) {
      figures[engine] = await runJoinOn(engine, options, clientDist, skipChromium);
    }
    emitJoinRatios(figures);
  } finally {
    if (clientDist) rmSync(clientDist, { recursive: true, force: true });
    note(`join: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Both join figures on a server running `engine`. */
async function runJoinOn(
  engine: JoinEngine,
  options: JoinBenchOptions,
  clientDist: string | undefined,
  skipChromium: string | undefined,
): Promise<NonNullable<JoinFigures[JoinEngine]>> {
  const child = new IpcChild<JoinServerRequest>('../join/joinServer.ts', 0, [], [clientDist ?? '', engine]);
  try {
    await child.ready();
    const info = await child.request<JoinServerInfo>({ op: 'info' });
    note(`join: server up at ${info.url} (${info.engine} engine, ${info.database} database)`);
    const server: JoinBenchServer = {
      ...info,
      consultation: (kioskPin) => child.request<string>({ op: 'consultation', kioskPin }),
    };
    const signalling = await measureSignallingJoin(server, options.signallingSamples);
    if (skipChromium) {
      note(`join (Chromium) skipped: ${skipChromium}`);
      emit({
        figure: 'parley.join.chromium_first_audible',
        engine,
        median: null,
        p99: null,
        unit: 'ms',
        reason: skipChromium,
      });
      return { signalling };
    }
    return { signalling, chromium: await measureChromiumJoin(server, options.chromiumSamples) };
  } finally {
    await child.stop();
  }
}

/** mediasoup over werift from the one run, per join figure: median, p95 (below 1: mediasoup faster). */
function emitJoinRatios(figures: JoinFigures): void {
  const { mediasoup, werift } = figures;
  if (!mediasoup || !werift) return;
  const pairs = [
    ['signalling_first_audio', mediasoup.signalling, werift.signalling],
    ['chromium_first_audible', mediasoup.chromium, werift.chromium],
  ] as const;
  for (const [name, a, b] of pairs) {
    if (!a?.length || !b?.length) continue;
    emit({
      figure: `ratio.join.mediasoup_over_werift.${name}`,
      median: median(a) / median(b),
      p95: quantile(a, 0.95) / quantile(b, 0.95),
      p99: null,
      unit: 'ratio',
      mediasoup_median_ms: median(a),
      werift_median_ms: median(b),
      mediasoup_p95_ms: quantile(a, 0.95),
      werift_p95_ms: quantile(b, 0.95),
      samples: Math.min(a.length, b.length),
    });
  }
}

/** Why Chromium cannot run here, or undefined when it can. */
function chromiumMissing(): string | undefined {
  const path = CHROMIUM_PATH ?? chromium.executablePath();
  return existsSync(path) ? undefined : `no Chromium at ${path} (set CHROMIUM_PATH)`;
}

/** `vite build` of the client into a temporary folder; returns the folder. */
async function buildClient(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'parley-bench-client-'));
  const require = createRequire(join(CLIENT_DIR, 'package.json'));
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
        // stdout carries only figures: the build's output goes to stderr.
        { cwd: CLIENT_DIR, stdio: ['ignore', 2, 'inherit'] },
      );
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited ${code}`))));
    });
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  return outDir;
}
