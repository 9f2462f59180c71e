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
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, note, quantile, sleep } from '../media/support.ts';
import { PhoneLegLoad } from './PhoneLegLoad.ts';
import {
  addCalls,
  LATE_P99_LIMIT_MS,
  measureWindow,
  startPhoneServer,
  stopPhoneServer,
} from './phoneLegs.ts';

export interface SippOptions {
  /** Calls per second tried, each for `secondsPerRate`. */
  rates: number[];
  secondsPerRate: number;
  /** INVITEs per second of the flood, for `floodSeconds`; the real call is measured `baselineSeconds` before. */
  floodRate: number;
  floodSeconds: number;
  baselineSeconds: number;
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

/** INVITE, then whatever comes: a 200 (within the limit: ACK and BYE it), a 503, or nothing. */
const FLOOD_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="parley invite flood">
  <send><![CDATA[
      ${INVITE}
  ]]></send>
  <recv response="100" optional="true"/>
  <recv response="503" optional="true" next="refused"/>
  <recv response="200" timeout="1500" ontimeout="silent" rrs="true"/>
  <send><![CDATA[
      ${ACK}
  ]]></send>
  <send><![CDATA[
      ${BYE}
  ]]></send>
  <recv response="200" timeout="2000" ontimeout="silent"/>
  <nop next="end"/>
  <label id="refused"/>
  <nop next="end"/>
  <label id="silent"/>
  <label id="end"/>
</scenario>
`;

interface SippRun {
  successful: number;
  failed: number;
  /** Messages received by kind, from sipp's final screen ("503 <----" etc.). */
  received: Record<string, number>;
  /** INVITE → 200 OK times (ms) of the calls, from -trace_rtt. */
  setupMs: number[];
}

export function sipp(dir: string, scenario: string, args: string[], seconds: number): Promise<SippRun> {
  const file = join(dir, `${scenario}.xml`);
  writeFileSync(file, scenario === 'setup' ? SETUP_SCENARIO : FLOOD_SCENARIO);
  return new Promise((resolve, reject) => {
    const child = spawn(
      'sipp',
      [
        '-sf',
        file,
        '-nostdin',
        '-trace_screen',
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
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.resume();
    child.on('error', reject);
    // sipp's own -timeout does not always end it: a flood run was seen waiting in epoll for 17
    // minutes with calls it never closed. Past its time it is told to stop (SIGINT writes its
    // statistics), then killed.
    const stop = setTimeout(
      () => {
        err += `\n(stopped by the benchmark after ${seconds + 30} s)`;
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      },
      (seconds + 30) * 1000,
    );
    stop.unref();
    child.on('close', () => {
      clearTimeout(stop);
      const screens = readdirSync(dir).filter((f) => f.startsWith(scenario) && f.endsWith('_screen.log'));
      const screen = screens.map((f) => readFileSync(join(dir, f), 'latin1')).join('\n');
      const rtts = readdirSync(dir).filter((f) => f.startsWith(scenario) && f.endsWith('_rtt.csv'));
      const setupMs = rtts.flatMap((f) =>
        readFileSync(join(dir, f), 'latin1')
          .split('\n')
          .slice(1)
          .map((line) => Number(line.split(';')[1]))
          .filter((v) => Number.isFinite(v)),
      );
      for (const f of [...screens, ...rtts]) rmSync(join(dir, f));
      if (!screen) return reject(new Error(`sipp left no statistics: ${err.trim()}`));
      const last = screen.slice(screen.lastIndexOf('Messages  Retrans'));
      const received: Record<string, number> = {};
      for (const match of last.matchAll(/^\s+(\d{3}|INVITE|ACK|BYE) <-+\s+[EB-]*\s*(\d+)/gm))
        received[match[1]!] = (received[match[1]!] ?? 0) + Number(match[2]);
      const count = (name: string) =>
        Number(
          new RegExp(`${name}\\s+\\|\\s+\\d+\\s+\\|\\s+(\\d+)`).exec(
            screen.slice(screen.lastIndexOf('Successful call')),
          )?.[1] ?? NaN,
        );
      resolve({ successful: count('Successful call'), failed: count('Failed call'), received, setupMs });
    });
  });
}

/** Whether sipp is on the PATH. */
function sippAvailable(): boolean {
  return spawnSync('sipp', ['-v'], { stdio: 'ignore' }).error === undefined;
}

export async function runSipp(options: SippOptions): Promise<void> {
  if (!sippAvailable()) {
    const reason = 'sipp is not installed (Debian: apt-get install sip-tester)';
    if (process.env.PARLEY_REQUIRE_PHONE === '1') throw new Error(`PARLEY_REQUIRE_PHONE=1 but ${reason}`);
    note(`phone SIP load skipped: ${reason}`);
    emit({ figure: 'phone.sip.skipped', median: null, p99: null, unit: '', reason });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-sipp-'));
  try {
    await runSetupRate(options, dir);
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
      const ok = run.successful === calls && run.failed === 0;
      note(
        `sipp set-up at ${rate}/s: ${run.successful}/${calls} calls completed, ${run.failed} failed, INVITE→200 median ${quantile(run.setupMs, 0.5).toFixed(1)} p99 ${quantile(run.setupMs, 0.99).toFixed(1)} ms`,
      );
      emit({
        figure: 'phone.sip.setup.rate',
        median: quantile(run.setupMs, 0.5),
        p99: quantile(run.setupMs, 0.99),
        unit: 'ms_invite_to_200',
        calls_per_s: rate,
        calls,
        completed: run.successful,
        failed: run.failed,
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

async function runFlood(options: SippOptions, dir: string): Promise<void> {
  const { server, info } = await startPhoneServer('production');
  const load = new PhoneLegLoad(info.sipPort);
  try {
    await addCalls(server, load, 0, 1);
    await sleep(1500);
    const baseline = await measureWindow(server, info, load, options.baselineSeconds * 1000);
    const invites = options.floodRate * options.floodSeconds;
    const flooding = sipp(
      dir,
      'flood',
      [
        '-i',
        '127.0.0.2',
        '-mi',
        '127.0.0.2',
        '-r',
        String(options.floodRate),
        '-m',
        String(invites),
        '-nr',
        `127.0.0.1:${info.sipPort}`,
      ],
      options.floodSeconds,
    );
    // The real call measured while the flood runs (its first second is sipp starting).
    await sleep(500);
    const during = await measureWindow(server, info, load, (options.floodSeconds - 1) * 1000);
    const run = await flooding;
    const answered = run.received['200'] ?? 0;
    const refused503 = run.received['503'] ?? 0;
    for (const [name, w] of [
      ['baseline', baseline],
      ['during_flood', during],
    ] as const)
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
    note(
      `INVITE flood ${options.floodRate}/s for ${options.floodSeconds} s (${invites}): ${answered} answered (200), ${refused503} refused with 503, ${invites - answered - refused503} met silence; the real call: clock p99 ${baseline.server.latenessP99Ms.toFixed(1)} → ${during.server.latenessP99Ms.toFixed(1)} ms, lost ${during.phones.lost}, bursts ${during.phones.burstsHeard}/${during.phones.burstsExpected}`,
    );
    emit({
      figure: 'phone.sip.flood',
      median: null,
      p99: null,
      unit: '',
      invites_per_s: options.floodRate,
      invites,
      answered,
      refused_503: refused503,
      silence: invites - answered - refused503,
      refused_per_s: (invites - answered) / options.floodSeconds,
      call_kept_frames: during.passed,
      lateness_p99_ratio_during_over_baseline: during.server.latenessP99Ms / baseline.server.latenessP99Ms,
      lateness_p99_limit_ms: LATE_P99_LIMIT_MS,
    });
  } finally {
    await load.hangUpAll();
    await stopPhoneServer(server);
  }
}
