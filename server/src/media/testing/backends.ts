import type { Logger } from '../../logger.ts';
import type { MediaBackend, MediaBackendName } from '../MediaBackend.ts';
import { MediasoupBackend } from '../mediasoup/MediasoupBackend.ts';
import { findWorkerBinary } from '../mediasoup/workerBinary.ts';
import { WeriftBackend } from '../werift/WeriftBackend.ts';

/**
 * The engines the contract suite runs against, each through the same MediaBackend port and the
 * same engine-neutral room. A backend that cannot run here (no mediasoup worker) is skipped with
 * its reason — unless PARLEY_REQUIRE_MEDIASOUP=1 (CI), where that is a failure.
 */
export interface BackendUnderTest {
  /** The test's name for it. */
  label: string;
  name: MediaBackendName;
  /** Why it cannot run on this machine; undefined when it can. */
  unavailable: string | undefined;
  create(logger: Logger): Promise<MediaBackend>;
}

export const LOOPBACK = '127.0.0.1';

export const WERIFT_BACKENDS: BackendUnderTest[] = (['lean', 'werift'] as const).map((audioPath) => ({
  label: `werift (${audioPath} audio path)`,
  name: 'werift',
  unavailable: undefined,
  create: (logger) =>
    Promise.resolve(new WeriftBackend({ logger, ice: { listenAddresses: [LOOPBACK] }, audioPath })),
}));

/** mediasoup with one worker on loopback, when this machine has its worker binary. */
export function mediasoupUnderTest(): BackendUnderTest {
  const binary = findWorkerBinary();
  return {
    label: 'mediasoup',
    name: 'mediasoup',
    unavailable: binary.available ? undefined : binary.reason,
    create: (logger) => {
      if (!binary.available) throw new Error(binary.reason);
      return MediasoupBackend.start({ logger, workerBin: binary.path, workers: 1, listenIps: [LOOPBACK] });
    },
  };
}

/** Every backend of the contract suite. */
export function backendsUnderTest(): BackendUnderTest[] {
  return [...WERIFT_BACKENDS, mediasoupUnderTest()];
}

/**
 * Skips the test when `backend` cannot run here, saying why; fails instead when the run requires
 * mediasoup (PARLEY_REQUIRE_MEDIASOUP=1, as CI sets), so a missing worker cannot pass unnoticed.
 */
export function skipUnlessAvailable(
  backend: BackendUnderTest,
  context: { skip: (note?: string) => void },
): void {
  if (!backend.unavailable) return;
  if (process.env.PARLEY_REQUIRE_MEDIASOUP === '1')
    throw new Error(`PARLEY_REQUIRE_MEDIASOUP=1 but ${backend.label} cannot run: ${backend.unavailable}`);
  context.skip(`${backend.label} skipped: ${backend.unavailable}`);
}
