import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_PATH } from './chromium.ts';
import { createTestNetns, deleteTestNetns, netnsUnavailableReason } from './netns.ts';

/**
 * Every Chromium of an e2e run inside one network namespace of the run's own (netns.ts: a veth
 * pair in 10.213.0.0/16), so that its media goes over the veth and never from the machine's own
 * address. Chromium gathers no ICE candidates on loopback: run beside the server it sends from the
 * machine's address (192.0.2.2 on these machines), which the ICE-lite server learns as a
 * peer-reflexive candidate and sends media back to. Inside the namespace its only address is the
 * veth's inside end, and the servers listen, for HTTP and for media, on the veth's root end.
 *
 * Playwright drives Chromium over a pipe, so the browser is started through a wrapper script that
 * runs it with `ip netns exec`: `chromiumExecutable()` is that script. Pages load from
 * `http://<root end>:<port>`, which the wrapper tells Chromium to treat as a secure context
 * (getUserMedia needs one) for the suite's server's port and a small block of ports after it, where
 * the specs' own servers listen (`ownServerAddress()`); the veth's address is the run's own, so
 * those ports are free whatever else runs on the machine.
 *
 * The runner makes the namespace once, when playwright.config.ts is read
 * (`setUpChromiumNetns`), and passes it to its worker processes in the environment; it deletes it
 * when it exits, and a run that was killed leaves one that the next run deletes (netns.ts).
 * PARLEY_CHROMIUM_NETNS=0 turns it off (Chromium beside the server, media from the machine's
 * address); on a machine that cannot make one (no root, no iproute2, no CAP_NET_ADMIN) the run
 * warns and goes on without, unless PARLEY_REQUIRE_CHROMIUM_NETNS=1 (CI), when it fails.
 */
export interface ChromiumNetns {
  name: string;
  /** The veth's root end: where the servers listen and what Chromium's media goes to. */
  hostAddress: string;
  /** The veth's inside end: Chromium's only address. */
  nsAddress: string;
  /** The wrapper script that starts Chromium inside the namespace. */
  executable: string;
  /** The ports on `hostAddress` that pages may load from as secure contexts: [first, last]. */
  ports: [number, number];
}

/** Where the runner hands the namespace to its workers. */
const STATE_ENV = 'PARLEY_CHROMIUM_NETNS_STATE';
/** Namespaces of this kind are `parley-cr-<runner pid><random>` (netns.ts sweeps dead runners'). */
const PREFIX = 'parley-cr-';
/** The suite's server listens on the first port; the specs' own servers on the next ones. */
const PORT_BLOCK = 20;

/** Whether this run puts Chromium in a namespace: yes unless PARLEY_CHROMIUM_NETNS=0. */
export function chromiumNetnsWanted(): boolean {
  return process.env.PARLEY_CHROMIUM_NETNS !== '0' || chromiumNetnsRequired();
}

/** Whether the run must fail rather than go on without a namespace (CI). */
export function chromiumNetnsRequired(): boolean {
  return process.env.PARLEY_REQUIRE_CHROMIUM_NETNS === '1';
}

/** The run's namespace, as the runner made it; null when Chromium runs beside the server. */
export function chromiumNetns(): ChromiumNetns | null {
  const state = process.env[STATE_ENV];
  return state ? (JSON.parse(state) as ChromiumNetns) : null;
}

function wrapperScript(netns: string, chromiumPath: string, origins: string[]): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    '#!/bin/sh',
    "# Made by e2e/chromiumNetns.ts for one test run: Chromium inside the run's network namespace.",
    `exec ip netns exec ${quote(netns)} ${quote(chromiumPath)} \\`,
    `  ${quote(`--unsafely-treat-insecure-origin-as-secure=${origins.join(',')}`)} "$@"`,
    '',
  ].join('\n');
}

/** What the specs start Chromium with: the run's wrapper, or CHROMIUM_PATH without a namespace. */
export function chromiumExecutable(): string | undefined {
  return chromiumNetns()?.executable ?? CHROMIUM_PATH;
}

/**
 * The runner's side: makes the run's namespace and the wrapper (once; a worker, or a second read of
 * the config, gets the runner's), or returns null when Chromium runs beside the server, saying why.
 * `port` is the suite's server's port.
 */
export function setUpChromiumNetns(port: number): ChromiumNetns | null {
  const existing = chromiumNetns();
  if (existing) return existing;
  if (!chromiumNetnsWanted()) return null;
  const unavailable = netnsUnavailableReason();
  let made: ReturnType<typeof createTestNetns> | undefined;
  let reason = unavailable;
  if (!unavailable) {
    try {
      made = createTestNetns(PREFIX);
    } catch (error) {
      // Root and iproute2, and still no namespace or veth: e.g. a container without CAP_NET_ADMIN.
      reason = `no network namespace with a veth pair here (${(error as Error).message.replace(/\s+/g, ' ').trim()})`;
    }
  }
  if (!made) {
    if (chromiumNetnsRequired())
      throw new Error(`PARLEY_REQUIRE_CHROMIUM_NETNS=1, but Chromium cannot run in a namespace: ${reason}`);
    console.warn(
      `e2e: Chromium runs beside the server and sends media from this machine's address: ${reason}`,
    );
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-cr-'));
  const ports: [number, number] = [port, port + PORT_BLOCK - 1];
  const origins = Array.from({ length: PORT_BLOCK }, (_, i) => `http://${made.hostAddress}:${port + i}`);
  const executable = join(dir, 'chromium');
  writeFileSync(executable, wrapperScript(made.name, CHROMIUM_PATH ?? chromium.executablePath(), origins), {
    mode: 0o755,
  });
  const netns: ChromiumNetns = {
    name: made.name,
    hostAddress: made.hostAddress,
    nsAddress: made.nsAddress,
    executable,
    ports,
  };
  process.env[STATE_ENV] = JSON.stringify(netns);
  // Synchronous: 'exit' runs no more promises. A killed runner leaves it to the next run's sweep.
  process.once('exit', () => {
    deleteTestNetns(made.name);
    rmSync(dir, { recursive: true, force: true });
  });
  return netns;
}

/** The address servers listen on for HTTP: the veth's root end, or loopback without a namespace. */
export function serverHost(): string {
  return chromiumNetns()?.hostAddress ?? '127.0.0.1';
}

/**
 * MEDIA_LISTEN_IPS for a server of the run: loopback first (the phone legs' plain RTP uses the
 * first, and baresip is on loopback), and the veth's root end for the namespaced browsers.
 */
export function mediaListenIps(): string {
  const netns = chromiumNetns();
  return netns ? `127.0.0.1,${netns.hostAddress}` : '127.0.0.1';
}

async function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Where a spec's own server listens: with a namespace, the first free port of the run's block on
 * the veth's root end (pages there are secure contexts); without, an ephemeral port on loopback.
 */
export async function ownServerAddress(): Promise<{ host: string; port: number }> {
  const netns = chromiumNetns();
  if (!netns) return { host: '127.0.0.1', port: 0 };
  for (let port = netns.ports[0] + 1; port <= netns.ports[1]; port++)
    if (await isFree(netns.hostAddress, port)) return { host: netns.hostAddress, port };
  throw new Error(`No free port in ${netns.hostAddress}:${netns.ports[0] + 1}-${netns.ports[1]}`);
}

/**
 * This machine's own addresses (os.networkInterfaces: every one but loopback and the run's veth
 * root end), where tests never send media.
 */
export function machineAddresses(): string[] {
  const own = chromiumNetns()?.hostAddress;
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((entry) => !entry.internal && entry.address !== own)
    .map((entry) => entry.address);
}
