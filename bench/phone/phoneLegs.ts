/**
 * Phone legs for the benchmark parts that need the real server: the server child (phoneServer.ts,
 * pinned to core 0 with its mediasoup worker), calls of three real legs (PhoneLegLoad.ts), and one
 * measured window of the frame clock, the phones' view and the CPU of server and worker.
 */
import { performance } from 'node:perf_hooks';
import { cpuSeconds, IpcChild, note, run, sleep } from '../media/support.ts';
import { type PhoneLegLoad, type WindowResult } from './PhoneLegLoad.ts';
import type { PhoneServerInfo, PhoneServerRequest, PhoneServerStats } from './phoneServer.ts';

/** The frame clock "slips" past this p99 lateness (half a frame; a phone's jitter buffer is 40–60 ms). */
export const LATE_P99_LIMIT_MS = 10;
/** Relative to bench/media/support.ts, where IpcChild resolves it. */
const SERVER = '../phone/phoneServer.ts';

/** Starts the phone server (with its worker) on both cores, `limits` as phoneServer.ts takes them. */
export async function startPhoneServer(
  limits: 'capacity' | 'production',
): Promise<{ server: IpcChild<PhoneServerRequest>; info: PhoneServerInfo }> {
  const server = new IpcChild<PhoneServerRequest>(SERVER, 0, ['--expose-gc'], [limits]);
  await server.ready();
  // A server that dies mid-run would leave the benchmark waiting for its answers for ever.
  server.child.once('exit', (code, signal) => {
    if (stopping.has(server)) return;
    note(`the phone server exited during the benchmark (${code ?? signal}): see its error above`);
    process.exit(1);
  });
  const info = await server.request<PhoneServerInfo>({ op: 'info' });
  // Others' tests share both cores: the server and its worker may run on either (see BENCHMARKS.md).
  for (const pid of [server.pid, ...info.workerPids])
    await run('taskset', ['-a', '-cp', '0,1', String(pid)], { quiet: true }).catch(() => undefined);
  note(
    `phone server (${limits} limits): SIP on 127.0.0.1:${info.sipPort}, ${info.engine}, ${info.database}, worker ${info.workerPids.join(',')}`,
  );
  return { server, info };
}

const stopping = new WeakSet<IpcChild<PhoneServerRequest>>();

/** Stops a server started by startPhoneServer (an exit before this fails the benchmark). */
export async function stopPhoneServer(server: IpcChild<PhoneServerRequest>): Promise<void> {
  stopping.add(server);
  await server.stop();
}

/** Dials `calls` more calls (three legs each) and waits until every leg is seated. */
export async function addCalls(
  server: IpcChild<PhoneServerRequest>,
  load: PhoneLegLoad,
  firstRoom: number,
  calls: number,
): Promise<void> {
  const made = await server.request<{ id: string; pins: string[] }[]>({ op: 'consultations', count: calls });
  // A few at a time: the set-up is not what this part measures.
  const dials = made.flatMap((c, i) => c.pins.map((pin, seat) => () => load.dial(firstRoom + i, seat, pin)));
  for (let i = 0; i < dials.length; i += 6) await Promise.all(dials.slice(i, i + 6).map((d) => d()));
  const deadline = Date.now() + 30_000 + calls * 3000;
  for (;;) {
    const stats = await server.request<PhoneServerStats>({ op: 'stats', reset: false });
    if (stats.joined >= load.size) return;
    if (Date.now() > deadline) throw new Error(`only ${stats.joined} of ${load.size} phone legs joined`);
    await sleep(250);
  }
}

export interface StepResult {
  legs: number;
  passed: boolean;
  server: PhoneServerStats;
  phones: WindowResult;
  cores: number;
}

/** One measured window at the current load. */
export async function measureWindow(
  server: IpcChild<PhoneServerRequest>,
  info: PhoneServerInfo,
  load: PhoneLegLoad,
  ms: number,
): Promise<StepResult> {
  const pids = info.workerPids;
  const cpuBefore = pids.reduce((a, pid) => a + cpuSeconds(pid), cpuSeconds(server.pid));
  const startedAt = performance.now();
  await server.request({ op: 'stats', reset: true });
  load.startWindow();
  await sleep(ms);
  const phones = load.endWindow();
  const stats = await server.request<PhoneServerStats>({ op: 'stats', reset: true });
  const cpuAfter = pids.reduce((a, pid) => a + cpuSeconds(pid), cpuSeconds(server.pid));
  const cores = (cpuAfter - cpuBefore) / ((performance.now() - startedAt) / 1000);
  const passed =
    stats.latenessP99Ms < LATE_P99_LIMIT_MS &&
    stats.skipped === 0 &&
    phones.lost === 0 &&
    phones.burstsHeard >= phones.burstsExpected;
  return { legs: load.size, passed, server: stats, phones, cores };
}
