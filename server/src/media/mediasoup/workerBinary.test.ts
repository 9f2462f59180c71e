import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findWorkerBinary,
  mediasoupDefaultWorkerPath,
  projectWorkerPath,
  repoRoot,
  resolveWorkerBinary,
  type WorkerBinaryInputs,
} from './workerBinary.ts';

const root = '/srv/parley';
const msDir = '/srv/parley/node_modules/mediasoup';
const built = projectWorkerPath(root, '3.27.1');
const fallback = mediasoupDefaultWorkerPath(msDir);

function inputs(executables: string[], overrides: Partial<WorkerBinaryInputs> = {}): WorkerBinaryInputs {
  const present = new Set(executables);
  return {
    envWorkerBin: undefined,
    repoRoot: root,
    mediasoupVersion: '3.27.1',
    mediasoupDir: msDir,
    isExecutableFile: (path) => present.has(path),
    ...overrides,
  };
}

describe('resolveWorkerBinary', () => {
  it('puts the project build under .mediasoup/<version>/ and the default under worker/out/Release/', () => {
    expect(built).toBe('/srv/parley/.mediasoup/3.27.1/mediasoup-worker');
    expect(fallback).toBe('/srv/parley/node_modules/mediasoup/worker/out/Release/mediasoup-worker');
  });

  it('takes MEDIASOUP_WORKER_BIN first, even when the other two exist', () => {
    expect(resolveWorkerBinary(inputs(['/opt/w', built, fallback], { envWorkerBin: '/opt/w' }))).toEqual({
      available: true,
      path: '/opt/w',
      source: 'MEDIASOUP_WORKER_BIN',
    });
  });

  it('does not fall back when MEDIASOUP_WORKER_BIN names a missing file, and says why', () => {
    const result = resolveWorkerBinary(inputs([built, fallback], { envWorkerBin: '/opt/missing' }));
    expect(result.available).toBe(false);
    if (!result.available) expect(result.reason).toContain('MEDIASOUP_WORKER_BIN is set to /opt/missing');
  });

  it('ignores an empty MEDIASOUP_WORKER_BIN', () => {
    expect(resolveWorkerBinary(inputs([built], { envWorkerBin: '  ' }))).toMatchObject({ path: built });
  });

  it("prefers the project's build to mediasoup's default path", () => {
    expect(resolveWorkerBinary(inputs([built, fallback]))).toEqual({
      available: true,
      path: built,
      source: 'project build',
    });
  });

  it("uses mediasoup's default path when the project has not built one", () => {
    expect(resolveWorkerBinary(inputs([fallback]))).toEqual({
      available: true,
      path: fallback,
      source: 'mediasoup default',
    });
  });

  it('looks only for the installed version: a build for another version does not count', () => {
    const result = resolveWorkerBinary(inputs([projectWorkerPath(root, '3.26.0')]));
    expect(result.available).toBe(false);
    if (!result.available) {
      expect(result.reason).toContain('npm run media:worker');
      expect(result.reason).toContain(built);
      expect(result.reason).toContain(fallback);
    }
  });

  it('reports a missing mediasoup package', () => {
    const result = resolveWorkerBinary(
      inputs([built], { mediasoupVersion: undefined, mediasoupDir: undefined }),
    );
    expect(result).toEqual({ available: false, reason: 'the mediasoup package is not installed (npm ci)' });
  });
});

describe('findWorkerBinary (real files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-worker-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts an executable file named by MEDIASOUP_WORKER_BIN', () => {
    const file = join(dir, 'worker-exec');
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
    expect(findWorkerBinary({ MEDIASOUP_WORKER_BIN: file })).toEqual({
      available: true,
      path: file,
      source: 'MEDIASOUP_WORKER_BIN',
    });
  });

  it('refuses a file that is not executable, and a directory', () => {
    const file = join(dir, 'worker-plain');
    writeFileSync(file, 'not a program');
    chmodSync(file, 0o644);
    expect(findWorkerBinary({ MEDIASOUP_WORKER_BIN: file }).available).toBe(false);
    expect(findWorkerBinary({ MEDIASOUP_WORKER_BIN: dir }).available).toBe(false);
  });

  it('finds the installed mediasoup without MEDIASOUP_WORKER_BIN (worker built or not)', () => {
    const result = findWorkerBinary({});
    if (result.available) expect(result.source).not.toBe('MEDIASOUP_WORKER_BIN');
    else expect(result.reason).toMatch(/^no mediasoup \d+\.\d+\.\d+ worker: not built/);
  });
});

describe('the build script and the rule agree', () => {
  it('build-worker.sh writes the worker where projectWorkerPath looks', () => {
    const script = readFileSync(join(repoRoot, 'server/scripts/mediasoup/build-worker.sh'), 'utf8');
    expect(script).toContain('out_dir="$repo/.mediasoup/$ms_version"');
    expect(script).toContain('bin="$out_dir/mediasoup-worker"');
    expect(projectWorkerPath('$repo', '$ms_version')).toBe('$repo/.mediasoup/$ms_version/mediasoup-worker');
  });
});
