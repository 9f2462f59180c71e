/// <reference lib="dom" />
/**
 * `parley.join.chromium_first_audible`: a headless Chromium participant's join, timed from the
 * click on "Join the call" (past the device check) to the first moment its page PLAYS another
 * participant's tone.
 *
 * Every participant is its own Chromium process (Debian's /usr/bin/chromium where installed)
 * whose fake microphone is a sine WAV, as in the end-to-end call test (e2e/callSupport.ts): the
 * attorney (440 Hz) joins from the call page and the client (1320 Hz) from the Adams kiosk, and
 * both are heard by each other before anyone is timed. The interpreter (880 Hz), signed in
 * beforehand in a browser already running, then joins once per sample: a fresh load of "My
 * schedule", "Join call", then the timed click on "Join the call" past the device check (choosing
 * a microphone is the person's own time, and the microphone is already open then). The page fetches its ticket, connects socket.io, joins,
 * starts the microphone, answers, trickles ICE candidates, and plays what arrives through WebAudio.
 * The first sample is the browser's first call (its audio service starts); later ones are not.
 *
 * "Plays" is decided in the page the way the e2e tests decide it (`heardInPage`: the dominant
 * frequency of the speaker's WebAudio analyser, after the routing gain, within 40 Hz of the tone),
 * polled every 10 ms by a probe installed before the page's own scripts; the probe stamps its
 * marks with the page's clock (`performance.timeOrigin + performance.now()`, the same Unix clock
 * the runner uses). So the figure includes Chromium's jitter buffer, Opus decoding, WebAudio
 * rendering (to Chromium's fake audio output: there is no sound card), and up to one 10 ms poll
 * plus the analyser's 2048-sample window (43 ms at 48 kHz) of detection delay. After each sample
 * the interpreter leaves the call through the page's Leave button and goes back to the schedule
 * (see `leave`). BENCH_SHOTS=DIR keeps a screenshot of the page after each leave and of any page
 * where a step failed.
 */
import type { Browser, Page, WebSocket } from '@playwright/test';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  expectToHear,
  heardInPage,
  launchParticipantBrowser,
  originalSound,
  writeToneWav,
  type Heard,
} from '../../e2e/callSupport.ts';
import { DEMO_USERS, signInAs } from '../../e2e/support.ts';
import { emit, median, note, quantile, round, sleep } from '../media/support.ts';
import type { JoinBenchServer } from './joinBench.ts';

/** Each participant's microphone is a different tone, so a listener can tell who it hears. */
const TONE = { ATTORNEY: 440, INTERPRETER: 880, CLIENT: 1320 } as const;
/** The newcomer (the interpreter) listens for these. */
const OTHERS = { ATTORNEY: TONE.ATTORNEY, CLIENT: TONE.CLIENT };
const AUDIBLE_TIMEOUT_MS = 20_000;
const KIOSK_PIN = '271828';

/** What the in-page probe records: Unix milliseconds on the page's clock, null until it happens. */
interface ProbeMarks {
  click: number | null;
  /**
   * The page made its first peer connection: the join was acknowledged with the negotiation (werift:
   * the server's offer; mediasoup: the router's capabilities and transports, the device loading).
   */
  pcCreated: number | null;
  /** A peer connection has both descriptions (werift: the answer; mediasoup: the first produce). */
  answered: number | null;
  iceConnected: number | null;
  /**
   * ICE and DTLS are up (`connectionState`). Chromium sometimes reports it only after the first frame
   * has played out; the probe stops at the tone, so such a sample has no DTLS time (shown as `?`).
   */
  pcConnected: number | null;
  /** An audio receiver reports a synchronization source: a decoded frame was played out. */
  firstFrame: number | null;
  /** The analyser's RMS level of a speaker first above 0.01. */
  level: number | null;
  audible: number | null;
  heard: string | null;
  /** The page's media session kind when it first heard someone (`sdp` or `mediasoup`). */
  media: string | null;
}

interface ProbeWindow {
  __joinProbe?: ProbeMarks;
  __heardInPage?: (role: string) => Heard;
  parleyCall?: { media(): { kind: string } | null };
}

/** Runs in the page before its own scripts (on every document it loads). */
function installJoinProbe(tones: Record<string, number>): void {
  const w = window as unknown as ProbeWindow;
  const probe: ProbeMarks = {
    click: null,
    pcCreated: null,
    answered: null,
    iceConnected: null,
    pcConnected: null,
    firstFrame: null,
    level: null,
    audible: null,
    heard: null,
    media: null,
  };
  w.__joinProbe = probe;
  // Every peer connection the page makes, whichever engine's session makes it: one for werift's
  // server-offered SDP; for mediasoup a send and a receive transport (and the device's short-lived
  // capability probe, which never connects).
  const made: RTCPeerConnection[] = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      made.push(this);
    }
  };
  document.addEventListener(
    'click',
    (event) => {
      if (
        probe.click === null &&
        event.target instanceof Element &&
        event.target.closest('button')?.textContent?.trim() === 'Join the call'
      )
        probe.click = performance.timeOrigin + event.timeStamp;
    },
    true,
  );
  const timer = setInterval(() => {
    if (probe.click === null) return;
    const at = performance.timeOrigin + performance.now();
    if (probe.pcCreated === null && made.length > 0) probe.pcCreated = at;
    if (probe.answered === null && made.some((pc) => pc.localDescription && pc.remoteDescription))
      probe.answered = at;
    if (
      probe.iceConnected === null &&
      made.some((pc) => pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed')
    )
      probe.iceConnected = at;
    if (probe.pcConnected === null && made.some((pc) => pc.connectionState === 'connected'))
      probe.pcConnected = at;
    if (
      probe.firstFrame === null &&
      made.some((pc) =>
        pc.getReceivers().some((r) => r.track.kind === 'audio' && r.getSynchronizationSources().length > 0),
      )
    )
      probe.firstFrame = at;
    for (const [role, frequency] of Object.entries(tones)) {
      const heard = w.__heardInPage!(role);
      if (probe.level === null && heard.level > 0.01) probe.level = at;
      if (heard.frequency !== null && Math.abs(heard.frequency - frequency) < 40) {
        probe.audible = at;
        probe.heard = role;
        probe.media = w.parleyCall?.media()?.kind ?? null;
        clearInterval(timer);
        return;
      }
    }
  }, 10);
}

/** Unix milliseconds on the runner's clock, comparable with the page's. */
const unixNow = () => performance.timeOrigin + performance.now();

interface Sample {
  total: number;
  heard: string;
  media: string | null;
  /** Milliseconds after the click. */
  ticket: number | null;
  /** The socket.io WebSocket opened (seen by the runner, so a little late). */
  socket: number | null;
  pcCreated: number | null;
  answered: number | null;
  iceConnected: number | null;
  pcConnected: number | null;
  firstFrame: number | null;
  level: number | null;
  /** From the runner's click command to the page's click event (CDP dispatch). */
  clickDispatch: number;
}

/** The page's media session on each engine: server-offered SDP, or mediasoup-client. */
const MEDIA_SESSION = { werift: 'sdp', mediasoup: 'mediasoup' } as const;

/** Returns the samples' times from the click to the first audible tone (ms). */
export async function measureChromiumJoin(server: JoinBenchServer, samples: number): Promise<number[]> {
  const { url } = server;
  const consultationId = await server.consultation(KIOSK_PIN);
  const browsers: Browser[] = [];
  const toneFiles: string[] = [];
  const launch = async (frequency: number) => {
    const wav = writeToneWav(frequency);
    toneFiles.push(wav);
    const browser = await launchParticipantBrowser(wav);
    browsers.push(browser);
    return browser;
  };
  const participantPage = async (browser: Browser) => {
    const page = await (await browser.newContext({ baseURL: url })).newPage();
    await originalSound(page);
    return page;
  };
  try {
    note(`join (Chromium, ${server.engine}): the attorney and the kiosk client join and publish their tones`);
    const [attorneyBrowser, clientBrowser, newcomerBrowser] = await Promise.all([
      launch(TONE.ATTORNEY),
      launch(TONE.CLIENT),
      launch(TONE.INTERPRETER),
    ]);
    const [attorney, client, newcomer] = await Promise.all([
      (async () => {
        const page = await participantPage(attorneyBrowser);
        await signInAs(page, DEMO_USERS.attorney);
        await page.goto(`/calls/${consultationId}`);
        await page.getByRole('button', { name: 'Join the call' }).click(); // past the device check
        await page.getByRole('list', { name: 'Participants' }).waitFor();
        return page;
      })(),
      (async () => {
        const page = await participantPage(clientBrowser);
        await page.goto('/kiosk');
        await page.getByLabel('Device credential').fill('kiosk-demo-adams');
        await page.getByRole('button', { name: 'Set up tablet' }).click();
        await page.getByRole('button', { name: /Español/ }).click();
        // By PIN: the kiosk also lists the consultation the signalling part used.
        for (const digit of KIOSK_PIN) await page.getByRole('button', { name: digit, exact: true }).click();
        await page.getByRole('button', { name: 'Entrar a la llamada' }).click();
        return page;
      })(),
      (async () => {
        // The interpreter signs in now; each sample starts from their schedule.
        const page = await participantPage(newcomerBrowser);
        // The e2e helper itself, so the page can run it from the probe's timer.
        await page.addInitScript({ content: `window.__heardInPage = ${heardInPage.toString()};` });
        await page.addInitScript(installJoinProbe, OTHERS);
        await signInAs(page, DEMO_USERS.interpreter);
        return page;
      })(),
    ]);
    await expectToHear(attorney, 'CLIENT', TONE.CLIENT);
    await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);

    const results: Sample[] = [];
    for (let i = 0; i < samples; i++) {
      const sample = await joinOnce(newcomer, consultationId, i + 1);
      await leave(newcomer, i + 1);
      if (sample.media !== MEDIA_SESSION[server.engine])
        throw new Error(
          `join (Chromium): the page ran a ${String(sample.media)} media session on the ${server.engine} engine ` +
            `(expected ${MEDIA_SESSION[server.engine]})`,
        );
      results.push(sample);
      const ms = (v: number | null) => (v === null ? '?' : v.toFixed(0));
      note(
        `join (Chromium, ${server.engine}): ${i + 1}/${samples}: heard the ${sample.heard.toLowerCase()} ` +
          `${ms(sample.total)} ms after the click (ticket ${ms(sample.ticket)}, offer ${ms(sample.pcCreated)}, ` +
          `answer ${ms(sample.answered)}, ICE ${ms(sample.iceConnected)}, DTLS ${ms(sample.pcConnected)}, ` +
          `first frame ${ms(sample.firstFrame)})`,
      );
    }

    const total = results.map((s) => s.total);
    const step = (pick: (s: Sample) => number | null) =>
      round(median(results.map(pick).filter((v): v is number => v !== null)));
    emit({
      figure: 'parley.join.chromium_first_audible',
      engine: server.engine,
      median: median(total),
      p95: quantile(total, 0.95),
      p99: quantile(total, 0.99),
      unit: 'ms',
      samples: total.length,
      database: server.database,
      // Medians of the time from the click to each step, on the page's clock.
      steps_median_ms: {
        ticket_response: step((s) => s.ticket),
        websocket_created: step((s) => s.socket),
        joined_offer_received: step((s) => s.pcCreated),
        answer_set: step((s) => s.answered),
        ice_connected: step((s) => s.iceConnected),
        dtls_connected: step((s) => s.pcConnected),
        first_frame_played_out: step((s) => s.firstFrame),
        first_sound: step((s) => s.level),
        first_audible: step((s) => s.total),
      },
      click_dispatch_median_ms: step((s) => s.clickDispatch),
      // The call page's media session on this server's engine: sdp (werift) or mediasoup.
      media_session: [...new Set(results.map((s) => s.media))].join(','),
      first_heard: Object.fromEntries(
        Object.keys(OTHERS).map((role) => [role, results.filter((s) => s.heard === role).length]),
      ),
      samples_ms: total.map(round),
      note:
        'click on Join call → page plays another participant’s tone (WebAudio analyser after the routing ' +
        'gain, polled every 10 ms): includes ticket, socket.io, the engine’s negotiation (werift: offer/answer ' +
        'and trickle ICE; mediasoup: device load, transports, produce and consume), ICE, DTLS, the jitter ' +
        'buffer, decoding and WebAudio output (Chromium’s fake device); attorney and kiosk client already ' +
        'publishing; browsers on one core, server on the other',
    });
    return total;
  } finally {
    await Promise.allSettled(browsers.map((b) => b.close()));
    for (const wav of toneFiles) rmSync(dirname(wav), { recursive: true, force: true });
  }
}

/**
 * One timed join of the interpreter: from "My schedule" (a new document each time), click "Join call",
 * wait until the page plays a tone, then leave the call again.
 */
async function joinOnce(page: Page, consultationId: string, sample: number): Promise<Sample> {
  await page.goto('/my-schedule');
  await page.locator(`a[href="/calls/${consultationId}"]`).click();
  // The device check before a call (microphone, speaker, level) is the person's own time: the
  // timed click is the one that asks to join.
  const join = page.getByRole('button', { name: 'Join the call' });
  try {
    await join.waitFor({ timeout: 15_000 });
  } catch (error) {
    const shot = await screenshot(page, `no-prejoin-${sample}`);
    throw new Error(
      `join (Chromium), sample ${sample}: the call page shows no "Join the call" (device check) ` +
        `at ${page.url()}${shot ? `; screenshot ${shot}` : ''}: ${String(error)}`,
      { cause: error },
    );
  }
  await sleep(200); // let the device check settle; nothing of it is timed
  let socketAt: number | null = null;
  const onWebSocket = (ws: WebSocket) => {
    if (socketAt === null && ws.url().includes('/socket.io/')) socketAt = unixNow();
  };
  page.on('websocket', onWebSocket);
  try {
    const clickedAt = unixNow();
    await join.click();
    await page.waitForFunction(() => (window as ProbeWindow).__joinProbe?.audible != null, undefined, {
      timeout: AUDIBLE_TIMEOUT_MS,
      polling: 50,
    });
    const probe = await page.evaluate((id) => {
      // The last ticket request: the page also fetches one when it opens, before the click.
      const ticket = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes(`/api/calls/${id}/ticket`))
        .at(-1) as PerformanceResourceTiming | undefined;
      return {
        marks: (window as ProbeWindow).__joinProbe!,
        ticketEnd: ticket ? performance.timeOrigin + ticket.responseEnd : null,
      };
    }, consultationId);
    const { marks } = probe;
    const click = marks.click!;
    const after = (at: number | null) => (at === null ? null : at - click);
    return {
      total: marks.audible! - click,
      heard: marks.heard!,
      media: marks.media,
      ticket: after(probe.ticketEnd),
      socket: after(socketAt),
      pcCreated: after(marks.pcCreated),
      answered: after(marks.answered),
      iceConnected: after(marks.iceConnected),
      pcConnected: after(marks.pcConnected),
      firstFrame: after(marks.firstFrame),
      level: after(marks.level),
      clickDispatch: click - clickedAt,
    };
  } finally {
    page.off('websocket', onWebSocket);
  }
}

/**
 * Leaves through the page, so the next sample is a first join of the seat, not a reconnection:
 * "Leave the call", "Yes", then "Back to my schedule" on the screen that says so. That last button
 * is what ends this tab's presence in the call: until it is pressed the call page keeps the tab's
 * devices in sessionStorage (`parley.inCall.<id>`, so that a reload rejoins), and opening the call
 * page again, from the schedule or anywhere, rejoins at once without the device check (no "Join
 * the call" to click, which is what stopped the second sample before).
 */
async function leave(page: Page, sample: number): Promise<void> {
  try {
    await page.getByRole('button', { name: 'Leave the call' }).click({ timeout: 5000 });
    await page.getByRole('button', { name: 'Yes' }).click({ timeout: 5000 });
    await page.getByRole('status').getByText('You left the call').waitFor({ timeout: 5000 });
    await screenshot(page, `left-${sample}`);
    await page.getByRole('button', { name: 'Back to my schedule' }).click({ timeout: 5000 });
    await page.waitForURL((url) => !url.pathname.startsWith('/calls/'), { timeout: 5000 });
    await sleep(300);
  } catch (error) {
    const shot = await screenshot(page, `leave-failed-${sample}`);
    throw new Error(
      `join (Chromium), sample ${sample}: could not leave through the page${shot ? ` (screenshot ${shot})` : ''}: ${String(error)}`,
      { cause: error },
    );
  }
}

/** BENCH_SHOTS=DIR: a screenshot of the page there; returns its path (undefined when not asked for or failed). */
async function screenshot(page: Page, name: string): Promise<string | undefined> {
  const dir = process.env.BENCH_SHOTS;
  if (!dir) return undefined;
  const path = join(dir, `${name}.png`);
  try {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path, fullPage: true });
    return path;
  } catch {
    return undefined;
  }
}
