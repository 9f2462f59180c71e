/**
 * SIP load with sipp (Debian `sip-tester`), against the real phone server (phoneServer.ts):
 *
 * - `phone.sip.setup`: call set-up rate. sipp places calls at a fixed rate from 127.0.0.1 (in the
 *   allow-list): INVITE (G.711 offer) → 100/200 (Parley answers with its menu, opening an RTP leg)
 *   → ACK → 200 ms of the menu → BYE → 200. Each rate runs for a few seconds with the
 *   `capacity` limits (so Parley's per-address INVITE limit is not what is measured); a rate is
 *   sustained when every call completed. The INVITE → 200 OK time is sipp's response time.
 * - `phone.sip.flood`: an INVITE flood from 127.0.0.2 (allowed, but over the production limit of
 *   30 new calls a minute per address) while a real call (three legs on 127.0.0.1, seated, mixing)
 *   is in progress: how many INVITEs were answered, refused with 503 and refused in silence, and
 *   the real call's frame clock, loss and arrival timing with and without the flood.
 */
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, note, quantile, sleep } from '../media/support.ts';
import {
  callTotals,
  firstReceived,
  messageCounts,
  responseTimes,
  type SippCallTotals,
  type SippMessageCount,
} from './sippOutput.ts';
import { PhoneLegLoad } from './PhoneLegLoad.ts';
import {
  addCalls,
  LATE_P99_LIMIT_MS,
  measureWindow,
  startPhoneServer,
  stopPhoneServer,
} from './phoneLegs.ts';
import type { PhoneServerStats } from './phoneServer.ts';

export interface SippOptions {
  /** Calls per second tried, each for `secondsPerRate`. */
  rates: number[];
  secondsPerRate: number;
  /** INVITEs per second of the flood, for `floodSeconds`; the real call is measured `baselineSeconds` before. */
  floodRate: number;
  floodSeconds: number;
  baselineSeconds: number;
  /** How long after each flood the server's heap is read again (what it kept for good). */
  retainedAfterMs: number;
}

const INVITE = `INVITE sip:parley@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:+16015550123@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:parley@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=- 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000
`;

const ACK = `ACK sip:parley@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:+16015550123@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:parley@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
`;

const BYE = `BYE sip:parley@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:+16015550123@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:parley@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
`;

const SETUP_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="parley call set-up">
  <send retrans="500" start_rtd="setup"><![CDATA[
      ${INVITE}
  ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rtd="setup" rrs="true"/>
  <send><![CDATA[
      ${ACK}
  ]]></send>
  <pause milliseconds="200"/>
  <send retrans="500"><![CDATA[
      ${BYE}
  ]]></send>
  <recv response="200" crlf="true"/>
  <ResponseTimeRepartition value="5, 10, 20, 50, 100, 200, 500, 1000"/>
</scenario>
`;

/**
 * INVITE, then whatever comes: a 200 (within the limit: ACK and BYE it), a refusal (503 from an
 * allowed address over its limit, 403 from an unknown one: ACKed, as RFC 3261 asks of a non-2xx
 * final response, with the INVITE's branch), or nothing.
 *
 * Every step a call can wait at carries its own timeout. sipp applies the timeout of the step the
 * call waits at, which after an INVITE is the first optional `recv`: with the timeout only on the
 * last `recv` (as this scenario had it), a call that met silence waited for ever, and sipp's
 * `-timeout` only stops it from starting new calls and then waits for the running ones — hence the
 * flood runs that sat 17 minutes in epoll. A step that times out goes to `silent`, which sipp
 * counts as a failed call (FailedTimeoutOnRecv): that count is the INVITEs Parley left unanswered.
 */
const WAIT = 'timeout="1500" ontimeout="silent"';
/** The scenario's message index of the refusal's ACK (its [branch-N] reaches back to the INVITE, index 0). */
const REFUSAL_ACK_INDEX = 9;
const FLOOD_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="parley invite flood">
  <send><![CDATA[
      ${INVITE}
  ]]></send>
  <recv response="100" optional="true" ${WAIT}/>
  <recv response="403" optional="true" next="refused" ${WAIT}/>
  <recv response="503" optional="true" next="refused" ${WAIT}/>
  <recv response="200" ${WAIT} rrs="true"/>
  <send><![CDATA[
      ${ACK}
  ]]></send>
  <send><![CDATA[
      ${BYE}
  ]]></send>
  <recv response="200" timeout="2000" ontimeout="silent"/>
  <nop next="end"/>
  <label id="refused"/>
  <send><![CDATA[
      ${ACK.replace('branch=[branch]', `branch=[branch-${REFUSAL_ACK_INDEX}]`)}
  ]]></send>
  <label id="silent"/>
  <label id="end"/>
</scenario>
`;

export interface SippRun {
  /** Call totals at exit (-trace_stat). */
  totals: SippCallTotals;
  /** Each scenario step's counters at exit (-trace_counts). */
  counts: SippMessageCount[];
  /** INVITE → 200 OK times (ms) of the calls, from -trace_rtt. */
  setupMs: number[];
  /** sipp did not end by itself and was stopped past its time. */
  stopped: boolean;
}

/** Runs sipp with `scenario` for about `seconds`; stops it (SIGINT, then SIGKILL) if it overstays. */
export function sipp(dir: string, scenario: string, args: string[], seconds: number): Promise<SippRun> {
  const file = join(dir, `${scenario}.xml`);
  writeFileSync(file, scenario === 'setup' ? SETUP_SCENARIO : FLOOD_SCENARIO);
  const outputs = () => readdirSync(dir).filter((f) => f.startsWith(`${scenario}_`) && f.endsWith('.csv'));
  for (const f of outputs()) rmSync(join(dir, f));
  return new Promise((resolve, reject) => {
    const child = spawn(
      'sipp',
      [
        '-sf',
        file,
        '-nostdin',
        '-trace_stat',
        '-trace_counts',
        '-fd',
        '1',
        '-trace_rtt',
        '-rtt_freq',
        '1',
        '-timeout',
        `${seconds + 15}s`,
        ...args,
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    let stopped = false;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.resume();
    child.on('error', reject);
    // A safety net: sipp ends by itself now (see FLOOD_SCENARIO), but a run must never hang.
    const stop = setTimeout(
      () => {
        stopped = true;
        note(`sipp (${scenario}) overstayed ${seconds + 30} s: stopping it`);
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      },
      (seconds + 30) * 1000,
    );
    stop.unref();
    child.on('close', () => {
      clearTimeout(stop);
      const files = outputs();
      const read = (suffix: string) =>
        files
          .filter((f) => f.endsWith(suffix))
          .map((f) => readFileSync(join(dir, f), 'latin1'))
          .join('\n');
      const totals = callTotals(read('_.csv'));
      const counts = messageCounts(read('_counts.csv'));
      const setupMs = read('_rtt.csv')
        .split(/\n(?=Date_ms)/)
        .flatMap((part) => responseTimes(part));
      for (const f of files) rmSync(join(dir, f));
      if (!totals) return reject(new Error(`sipp left no statistics: ${err.trim()}`));
      resolve({ totals, counts, setupMs, stopped });
    });
  });
}

/** Whether sipp is on the PATH. */
function sippAvailable(): boolean {
  return spawnSync('sipp', ['-v'], { stdio: 'ignore' }).error === undefined;
}

export async function runSipp(options: SippOptions, parts = { setupRate: true }): Promise<void> {
  if (!sippAvailable()) {
    const reason = 'sipp is not installed (Debian: apt-get install sip-tester)';
    if (process.env.PARLEY_REQUIRE_PHONE === '1') throw new Error(`PARLEY_REQUIRE_PHONE=1 but ${reason}`);
    note(`phone SIP load skipped: ${reason}`);
    emit({ figure: 'phone.sip.skipped', median: null, p99: null, unit: '', reason });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-sipp-'));
  try {
    if (parts.setupRate) await runSetupRate(options, dir);
    if (options.floodSeconds > 0) await runFlood(options, dir);
    else {
      const reason = 'the INVITE flood runs in the full suite only';
      note(`phone INVITE flood skipped: ${reason}`);
      emit({ figure: 'phone.sip.flood.skipped', median: null, p99: null, unit: '', reason });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runSetupRate(options: SippOptions, dir: string): Promise<void> {
  const { server, info } = await startPhoneServer('capacity');
  let sustained = 0;
  try {
    for (const rate of options.rates) {
      const calls = rate * options.secondsPerRate;
      const run = await sipp(
        dir,
        'setup',
        [
          '-i',
          '127.0.0.1',
          '-mi',
          '127.0.0.1',
          '-r',
          String(rate),
          '-m',
          String(calls),
          `127.0.0.1:${info.sipPort}`,
        ],
        options.secondsPerRate,
      );
      const ok = run.totals.successful === calls && run.totals.failed === 0;
      note(
        `sipp set-up at ${rate}/s: ${run.totals.successful}/${calls} calls completed, ${run.totals.failed} failed, INVITE→200 median ${quantile(run.setupMs, 0.5).toFixed(1)} p99 ${quantile(run.setupMs, 0.99).toFixed(1)} ms`,
      );
      emit({
        figure: 'phone.sip.setup.rate',
        median: quantile(run.setupMs, 0.5),
        p99: quantile(run.setupMs, 0.99),
        unit: 'ms_invite_to_200',
        calls_per_s: rate,
        calls,
        completed: run.totals.successful,
        failed: run.totals.failed,
        sustained: ok,
      });
      if (ok) sustained = rate;
      else break;
      await sleep(1000);
    }
  } finally {
    await stopPhoneServer(server);
  }
  emit({
    figure: 'phone.sip.setup.sustained_rate',
    median: sustained,
    p99: null,
    unit: 'calls_per_s',
    tried: options.rates.join(','),
  });
}

/** The flood's sources: an allowed address over its call limit, and an address not on the allow-list. */
const FLOOD_SOURCES = [
  { name: 'allowed', address: '127.0.0.2', refusal: '503' },
  { name: 'unknown', address: '127.0.0.3', refusal: '403' },
] as const;

/**
 * The INVITE flood against the production limits (phoneServer.ts `production`), once from each
 * source, while a real call (three legs from 127.0.0.1) keeps its frames: what Parley answered
 * (sipp's own counts), its counters, the real call's frame clock and the server's CPU over a
 * window inside the flood, the set-up time of a new legitimate call dialled during the flood
 * against one dialled before, and the server's heap after the flood against before it.
 */
async function runFlood(options: SippOptions, dir: string): Promise<void> {
  const { server, info } = await startPhoneServer('production');
  const load = new PhoneLegLoad(info.sipPort);
  let calls = 0;
  const timedCall = async () => {
    const start = performance.now();
    const retransmitted = load.inviteRetransmissions;
    await addCalls(server, load, calls++, 1);
    return { ms: performance.now() - start, retransmissions: load.inviteRetransmissions - retransmitted };
  };
  try {
    // The first call warms the server up (its first PIN look-ups, JIT); the second is the reference.
    await timedCall();
    const setupBefore = await timedCall();
    await sleep(1500);
    const baseline = await measureWindow(server, info, load, options.baselineSeconds * 1000);
    emitWindow('baseline', baseline);
    for (const source of FLOOD_SOURCES) {
      const heapBefore = await server.request<number>({ op: 'heap' });
      const sipBefore = (await server.request<PhoneServerStats>({ op: 'stats', reset: false })).sipTotals;
      const invites = options.floodRate * options.floodSeconds;
      const flooding = sipp(
        dir,
        'flood',
        [
          '-i',
          source.address,
          '-mi',
          source.address,
          '-r',
          String(options.floodRate),
          '-m',
          String(invites),
          '-nr',
          `127.0.0.1:${info.sipPort}`,
        ],
        options.floodSeconds,
      );
      // The real call over the middle of the flood (its first half second is sipp starting), then
      // a new call set up while INVITEs still pour in.
      await sleep(500);
      const during = await measureWindow(
        server,
        info,
        load,
        Math.max(1000, (options.floodSeconds / 2) * 1000),
      );
      const setupDuring = await timedCall();
      const run = await flooding;
      const after = await server.request<PhoneServerStats>({ op: 'stats', reset: false });
      const heapAfter = await server.request<number>({ op: 'heap' });
      // Past every SIP transaction timer (timer H is 32 s): what the flood left behind for good.
      await sleep(options.retainedAfterMs);
      const heapRetained = await server.request<number>({ op: 'heap' });
      const answered = firstReceived(run.counts, '200');
      const refused = firstReceived(run.counts, source.refusal);
      const silence = run.totals.failedTimeoutOnRecv;
      const delta = (k: keyof PhoneServerStats['sipTotals']) => after.sipTotals[k] - sipBefore[k];
      emitWindow(`during_${source.name}_flood`, during);
      note(
        `INVITE flood from ${source.address} (${source.name}), ${options.floodRate}/s for ${options.floodSeconds} s: ${invites} sent, ${answered} answered 200, ${refused} refused ${source.refusal}, ${silence} met silence${run.stopped ? ' (sipp stopped past its time)' : ''}; the real call: clock p99 ${baseline.server.latenessP99Ms.toFixed(1)} → ${during.server.latenessP99Ms.toFixed(1)} ms, lost ${during.phones.lost}, bursts ${during.phones.burstsHeard}/${during.phones.burstsExpected}; server+worker ${(baseline.cores * 100).toFixed(0)} → ${(during.cores * 100).toFixed(0)} % of a core; a new call (three legs) set up in ${setupDuring.ms.toFixed(0)} ms with ${setupDuring.retransmissions} INVITEs sent again (before the floods: ${setupBefore.ms.toFixed(0)} ms); heap ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB more, ${((heapRetained - heapBefore) / 1024).toFixed(0)} KiB ${options.retainedAfterMs / 1000} s later`,
      );
      emit({
        figure: `phone.sip.flood.${source.name}`,
        median: null,
        p99: null,
        unit: '',
        source: source.address,
        invites_per_s: options.floodRate,
        invites,
        invites_sent: run.counts.find((c) => c.message === 'INVITE' && c.counter === 'Sent')?.value,
        answered_200: answered,
        [`refused_${source.refusal}`]: refused,
        silence,
        refusal_rate: refused / Math.max(1, invites),
        silence_rate: silence / Math.max(1, invites),
        sipp_dead_call_messages: run.totals.deadCallMessages,
        sipp_stopped: run.stopped,
        parley_flood_refused: delta('floodRefused'),
        parley_refused_sources: delta('refusedSources'),
        parley_silenced_sources: delta('silencedSources'),
        call_kept_frames: during.passed,
        lateness_p99_ratio_during_over_baseline: during.server.latenessP99Ms / baseline.server.latenessP99Ms,
        lateness_p99_limit_ms: LATE_P99_LIMIT_MS,
        server_worker_cores_baseline: baseline.cores,
        server_worker_cores_during: during.cores,
        new_call_setup_ms_during: setupDuring.ms,
        new_call_invite_retransmissions_during: setupDuring.retransmissions,
        new_call_setup_ms_before: setupBefore.ms,
        heap_growth_kib: (heapAfter - heapBefore) / 1024,
        heap_retained_kib: (heapRetained - heapBefore) / 1024,
        heap_retained_after_s: options.retainedAfterMs / 1000,
        heap_retained_bytes_per_silenced_invite: silence > 0 ? (heapRetained - heapBefore) / silence : null,
      });
    }
  } finally {
    await load.hangUpAll();
    await stopPhoneServer(server);
  }

  function emitWindow(name: string, w: Awaited<ReturnType<typeof measureWindow>>): void {
    emit({
      figure: `phone.sip.flood.call_${name}`,
      median: w.server.latenessP50Ms,
      p99: w.server.latenessP99Ms,
      unit: 'ms_clock_lateness',
      legs: w.legs,
      passed: w.passed,
      skipped_frames: w.server.skipped,
      phones_lost: w.phones.lost,
      bursts_heard: w.phones.burstsHeard,
      bursts_expected: w.phones.burstsExpected,
      arrival_jitter_p99_ms: quantile(w.phones.arrivalJitter, 0.99),
      delay_p99_ms: quantile(w.phones.delays, 0.99),
      server_worker_cores: w.cores,
      flood_refused_by_parley: w.server.floodRefused,
    });
  }
}
