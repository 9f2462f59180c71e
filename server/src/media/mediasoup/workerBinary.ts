/**
 * Where the mediasoup worker binary is, decided once for the whole server, its tests and the
 * benchmark. The rule, in order:
 *
 * 1. `MEDIASOUP_WORKER_BIN`, when set: the operator's choice. If it names no executable file the
 *    worker is unavailable (with that reason) rather than silently replaced by another binary.
 * 2. The project's own build, `<repo>/.mediasoup/<mediasoup version>/mediasoup-worker`, made by
 *    `npm run media:worker` (server/scripts/mediasoup/build-worker.sh); it survives `npm ci`.
 * 3. mediasoup's default place, `node_modules/mediasoup/worker/out/Release/mediasoup-worker`, where
 *    its postinstall puts a downloaded or built worker on machines where that works.
 *
 * Otherwise there is no worker, and the reason says how to get one. Pass the chosen path to
 * `createWorker({ workerBin })`: mediasoup itself would only look at 1 and 3.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type WorkerBinarySource = 'MEDIASOUP_WORKER_BIN' | 'project build' | 'mediasoup default';

export type WorkerBinary =
  { available: true; path: string; source: WorkerBinarySource } | { available: false; reason: string };

/** What the rule looks at; `isExecutableFile` is the only I/O, so the rule itself is testable. */
export interface WorkerBinaryInputs {
  /** `process.env.MEDIASOUP_WORKER_BIN` */
  envWorkerBin: string | undefined;
  /** The repository root (holds `.mediasoup/`). */
  repoRoot: string;
  /** The installed mediasoup's version, or undefined when mediasoup is not installed. */
  mediasoupVersion: string | undefined;
  /** The installed mediasoup package's root directory, or undefined when it is not installed. */
  mediasoupDir: string | undefined;
  isExecutableFile: (path: string) => boolean;
}

/** The project build's path for a mediasoup version (the build script writes the same path). */
export function projectWorkerPath(repoRoot: string, mediasoupVersion: string): string {
  return join(repoRoot, '.mediasoup', mediasoupVersion, 'mediasoup-worker');
}

/** mediasoup's own default (Release) location inside its package. */
export function mediasoupDefaultWorkerPath(mediasoupDir: string): string {
  return join(mediasoupDir, 'worker', 'out', 'Release', 'mediasoup-worker');
}

export function resolveWorkerBinary(inputs: WorkerBinaryInputs): WorkerBinary {
  const fromEnv = inputs.envWorkerBin?.trim();
  if (fromEnv) {
    const path = resolve(fromEnv);
    return inputs.isExecutableFile(path)
      ? { available: true, path, source: 'MEDIASOUP_WORKER_BIN' }
      : {
          available: false,
          reason: `MEDIASOUP_WORKER_BIN is set to ${path}, which is not an executable file`,
        };
  }
  if (inputs.mediasoupVersion === undefined || inputs.mediasoupDir === undefined) {
    return { available: false, reason: 'the mediasoup package is not installed (npm ci)' };
  }
  const built = projectWorkerPath(inputs.repoRoot, inputs.mediasoupVersion);
  if (inputs.isExecutableFile(built)) {
    return { available: true, path: built, source: 'project build' };
  }
  const fallback = mediasoupDefaultWorkerPath(inputs.mediasoupDir);
  if (inputs.isExecutableFile(fallback)) {
    return { available: true, path: fallback, source: 'mediasoup default' };
  }
  return {
    available: false,
    reason:
      `no mediasoup ${inputs.mediasoupVersion} worker: not built (${built}; run npm run media:worker), ` +
      `not at mediasoup's default path (${fallback}), and MEDIASOUP_WORKER_BIN is not set`,
  };
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The repository root, from this file's place in it (server/src/media/mediasoup/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

function installedMediasoup(): { version: string; dir: string } | undefined {
  const require = createRequire(import.meta.url);
  try {
    // mediasoup's entry is <package>/node/lib/index.js; its exports do not include package.json.
    const dir = resolve(require.resolve('mediasoup'), '../../..');
    const pkg = require(join(dir, 'package.json')) as { version?: unknown };
    return typeof pkg.version === 'string' ? { version: pkg.version, dir } : undefined;
  } catch {
    return undefined;
  }
}

/** The worker binary on this machine, by the rule above, from the current environment. */
export function findWorkerBinary(env: NodeJS.ProcessEnv = process.env): WorkerBinary {
  const mediasoup = installedMediasoup();
  return resolveWorkerBinary({
    envWorkerBin: env.MEDIASOUP_WORKER_BIN,
    repoRoot,
    mediasoupVersion: mediasoup?.version,
    mediasoupDir: mediasoup?.dir,
    isExecutableFile,
  });
}
