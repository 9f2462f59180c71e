import { findWorkerBinary } from '../../media/mediasoup/workerBinary.ts';
import type { SipConfig } from '../sipConfig.ts';
import { BaresipPhone } from './BaresipPhone.ts';

/** What the phone integration tests share: their gate, a loopback SIP configuration, and waiting. */

/**
 * Why the real-phone tests (mediasoup's worker and Debian's baresip) cannot run here, or undefined
 * when they can. CI sets PARLEY_REQUIRE_MEDIASOUP=1 and PARLEY_REQUIRE_PHONE=1: there a missing
 * part fails the file instead of skipping it.
 */
export function realPhoneTestsBlockedBy(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const worker = findWorkerBinary();
  const why = !worker.available
    ? worker.reason
    : !BaresipPhone.available()
      ? 'baresip is not installed'
      : undefined;
  if (why && env.PARLEY_REQUIRE_MEDIASOUP === '1' && !worker.available)
    throw new Error(`PARLEY_REQUIRE_MEDIASOUP=1 but mediasoup cannot run: ${why}`);
  if (why && env.PARLEY_REQUIRE_PHONE === '1')
    throw new Error(`PARLEY_REQUIRE_PHONE=1 but the phone tests cannot run: ${why}`);
  return why;
}

/**
 * SIP on 127.0.0.1 for a test's own server: its SIP port and RTP range (each test file has its own,
 * so files may run at once), no trunk, no digest, only loopback callers; `overrides` for the rest.
 */
export function loopbackSipConfig(
  ports: { sip: number; rtp: { min: number; max: number }; tcp?: boolean },
  overrides: Partial<SipConfig> = {},
): SipConfig {
  return {
    listenAddress: '127.0.0.1',
    udpPort: ports.sip,
    tcpPort: ports.tcp ? ports.sip : null,
    publicAddress: '127.0.0.1',
    rtpPorts: ports.rtp,
    trunk: null,
    digest: null,
    allowedSources: ['127.0.0.1'],
    refusalsPerMinute: 5,
    invitesPerMinute: 20,
    maxCalls: 10,
    pinSecret: 'phone-test-pin-secret',
    ...overrides,
  };
}

export const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(50);
  }
}
