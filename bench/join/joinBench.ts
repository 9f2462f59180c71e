/**
 * Join time through the real Parley server: `parley.join.signalling_first_audio` (a headless werift
 * client through REST + socket.io, to the first forwarded packet) and
 * `parley.join.chromium_first_audible` (a Chromium participant, from its click on "Join call" to
 * the first tone its page plays). See signallingJoin.ts and chromiumJoin.ts for what each covers.
 *
 * The server is `startTestServer` (real database, REST, socket.io, the werift engine) in a child
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
import { emit, IpcChild, note } from '../media/support.ts';
import { measureChromiumJoin } from './chromiumJoin.ts';
import type { JoinServerInfo, JoinServerRequest } from './joinServer.ts';
import { measureSignallingJoin } from './signallingJoin.ts';

export interface JoinBenchServer extends JoinServerInfo {
  /** A new consultation joinable now (the demo case at Adams), with this kiosk PIN. */
  consultation(kioskPin: string): Promise<string>;
}

export interface JoinBenchOptions {
  /** Timed joins through the signalling (headless). */
  signallingSamples: number;
  /** Timed Chromium joins; 0 skips Chromium. */
  chromiumSamples: number;
}

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
  const child = new IpcChild<JoinServerRequest>(
    '../join/joinServer.ts',
    0,
    [],
    clientDist ? [clientDist] : [],
  );
  try {
    await child.ready();
    const info = await child.request<JoinServerInfo>({ op: 'info' });
    note(`join: server up at ${info.url} (${info.database} database)`);
    const server: JoinBenchServer = {
      ...info,
      consultation: (kioskPin) => child.request<string>({ op: 'consultation', kioskPin }),
    };
    await measureSignallingJoin(server, options.signallingSamples);
    if (skipChromium) {
      note(`join (Chromium) skipped: ${skipChromium}`);
      emit({
        figure: 'parley.join.chromium_first_audible',
        median: null,
        p99: null,
        unit: 'ms',
        reason: skipChromium,
      });
    } else {
      await measureChromiumJoin(server, options.chromiumSamples);
    }
  } finally {
    await child.stop();
    if (clientDist) rmSync(clientDist, { recursive: true, force: true });
    note(`join: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
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
