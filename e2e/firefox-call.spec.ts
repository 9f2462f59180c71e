import { existsSync } from 'node:fs';
import { expect, test, type Browser as ChromiumBrowser, type Page } from '@playwright/test';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { expectToHear, launchParticipantBrowser, originalSound, writeToneWav } from './callSupport.ts';
import { launchFirefoxInNetns, type NamespacedFirefox } from './firefoxInNetns.ts';
import { createTestNetns, netnsUnavailableReason, relayTcp, type TestNetns } from './netns.ts';
import { startOwnParley, type OwnParley } from './ownServer.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './support.ts';

/**
 * Interpreters and attorneys use Firefox. Playwright's own Firefox cannot be installed here, so
 * Debian's firefox-esr is driven through WebDriver BiDi by puppeteer-core: the interpreter in
 * Firefox, the attorney and the kiosk client in Chromium, a consecutive call in which everyone
 * hears everyone. The Chromium listeners tell speakers apart by frequency (Firefox's fake
 * microphone is a sine at `media.navigator.audio.fake_frequency`); the Firefox listener, whose
 * WebAudio does not run headless without a sound device, is checked by its receivers' inbound
 * RTP counters (packets and audio energy rising for each speaker).
 *
 * Media address: Firefox never gathers ICE candidates on the loopback interface (firefox-esr 153:
 * not with media.peerconnection.ice.loopback, not for another address on lo, not with
 * ice.force_interface), and tests send media to no address of the machine's own network. So the
 * spec makes a network namespace of its own with a veth pair (netns.ts) and runs Firefox inside
 * it, where the veth is its only interface: the server's media listens for the Chromium
 * participants (in the run's own namespace, chromiumNetns.ts) and on this veth's root end, the
 * page reaches the server through a relay on that address, which Firefox is told to treat as a
 * secure context (getUserMedia needs one).
 * Without root or `ip netns` the spec skips, and with PARLEY_REQUIRE_FIREFOX=1 (CI) it fails.
 */

const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const REQUIRED = process.env.PARLEY_REQUIRE_FIREFOX === '1';
/** Why this machine cannot run the Firefox call, or null when it can. */
const UNAVAILABLE = existsSync(FIREFOX_PATH)
  ? netnsUnavailableReason()
  : `${FIREFOX_PATH} is not installed (Debian: apt-get install firefox-esr)`;
/** Each participant's microphone: the Chromium ones from WAV files, Firefox's its own fake tone. */
const TONE = { ATTORNEY: 440, CLIENT: 1320, INTERPRETER: 660 } as const;
/** The Adams demo call (Spanish; interpreter@parley.demo; kiosk code 246810). */
const PIN = '246810';

let netns: TestNetns | undefined;
let relay: { port: number; close(): Promise<void> } | undefined;
let parley: OwnParley | undefined;
/** Where Firefox, inside the namespace, reaches the server. */
let firefoxBaseUrl = '';
const chromiums: ChromiumBrowser[] = [];
let firefox: NamespacedFirefox | undefined;

test.skip(
  UNAVAILABLE !== null && !REQUIRED,
  `The Firefox call cannot run here: ${UNAVAILABLE}; with PARLEY_REQUIRE_FIREFOX=1 it fails instead`,
);

test.beforeAll(async () => {
  if (UNAVAILABLE !== null) return;
  try {
    netns = createTestNetns();
  } catch (error) {
    // Root and iproute2, and still no namespace or veth: e.g. a container without CAP_NET_ADMIN.
    const reason = `no network namespace with a veth pair here (${(error as Error).message.replace(/\s+/g, ' ').trim()})`;
    if (REQUIRED) throw new Error(`PARLEY_REQUIRE_FIREFOX=1, but ${reason}`);
    test.skip(true, `The Firefox call cannot run here: ${reason}`);
    return;
  }
  parley = await startOwnParley({ extraMediaListenIps: [netns.hostAddress] });
  const server = new URL(parley.url);
  relay = await relayTcp(netns.hostAddress, 0, { host: server.hostname, port: Number(server.port) });
  firefoxBaseUrl = `http://${netns.hostAddress}:${relay.port}`;
});

test.afterAll(async () => {
  // Each step runs even when one before it fails: the namespace must not outlive the run.
  const steps: (() => Promise<unknown> | undefined)[] = [
    () => firefox?.close(),
    () => Promise.all(chromiums.map((b) => b.close())),
    () => relay?.close(),
    () => parley?.close(),
    () => netns?.close(),
  ];
  for (const step of steps) await Promise.resolve(step()).catch(() => undefined);
});

async function chromiumPage(frequency: number): Promise<Page> {
  const browser = await launchParticipantBrowser(writeToneWav(frequency));
  chromiums.push(browser);
  const page = await (await browser.newContext({ baseURL: parley!.url })).newPage();
  await originalSound(page);
  return page;
}

async function launchFirefox(): Promise<NamespacedFirefox> {
  return launchFirefoxInNetns(netns!, FIREFOX_PATH, {
    // A fake microphone (a sine tone), granted without a prompt.
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    'media.navigator.audio.fake_frequency': TONE.INTERPRETER,
    // The page comes over http from the veth address: a secure context for getUserMedia.
    'dom.securecontext.allowlist': netns!.hostAddress,
    'media.peerconnection.ice.obfuscate_host_addresses': false,
    'media.autoplay.default': 0,
  });
}

/** Clicks the first element matching `selector` whose text is `text`, once it is there. */
async function clickText(page: FirefoxPage, selector: string, text: string): Promise<void> {
  await page.locator(`${selector}::-p-text(${text})`).setTimeout(20_000).click();
}

/**
 * What the Firefox page receives from the participant in the tile of `role`: the inbound RTP
 * stream whose mid the routing plan gives that speaker (packets and audio energy, from the media
 * session's receive statistics, whichever engine's session it is), or null before there is one.
 */
async function receivedInFirefox(
  page: FirefoxPage,
  role: string,
): Promise<{ packets: number; energy: number } | null> {
  return page.evaluate(async (r) => {
    const id = document.querySelector(`.tile[data-role="${r}"]`)?.getAttribute('data-participant');
    const call = (window as any).parleyCall;
    const entry = call?.routing()?.tracks.find((t: any) => t.kind === 'audio' && t.speakerId === id);
    const stats: RTCStatsReport | null = (await call?.receiveStats()) ?? null;
    if (!id || !entry || !stats) return null;
    let found: { packets: number; energy: number } | null = null;
    stats.forEach((s: any) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && s.mid === entry.mid)
        found = { packets: s.packetsReceived ?? 0, energy: s.totalAudioEnergy ?? 0 };
    });
    return found;
  }, role);
}

/**
 * Runs in the Firefox page: the addresses of the selected ICE candidate pair (Firefox marks it
 * `selected` in getStats) of the connection that receives the call (werift's one peer connection;
 * mediasoup's receiving transport), or null before one is chosen.
 */
async function selectedPairInPage(): Promise<{ local: string; remote: string } | null> {
  const stats: RTCStatsReport | null = (await (window as any).parleyCall?.receiveStats()) ?? null;
  if (!stats) return null;
  const all = [...(stats as any).values()];
  const pair = all.find((s: any) => s.type === 'candidate-pair' && s.selected === true);
  if (!pair) return null;
  const address = (id: string) => {
    const candidate = all.find((s: any) => s.id === id);
    return candidate?.address ?? candidate?.ip ?? '?';
  };
  return { local: address(pair.localCandidateId), remote: address(pair.remoteCandidateId) };
}

/** Waits until Firefox's packets and audio energy from `role` both rise. */
async function expectFirefoxReceives(page: FirefoxPage, role: string): Promise<void> {
  let first: { packets: number; energy: number } | null = null;
  await expect
    .poll(async () => (first = await receivedInFirefox(page, role))?.packets ?? 0, {
      timeout: 20_000,
      message: `Firefox receives packets from the ${role}`,
    })
    .toBeGreaterThan(0);
  await expect
    .poll(
      async () => {
        const now = await receivedInFirefox(page, role);
        return !!now && !!first && now.packets > first.packets && now.energy > first.energy;
      },
      { timeout: 20_000, message: `Firefox's packets and audio energy from the ${role} rise` },
    )
    .toBe(true);
}

test('a consecutive call with the interpreter in Firefox and the attorney and client in Chromium: everyone hears everyone', async () => {
  expect(UNAVAILABLE, 'PARLEY_REQUIRE_FIREFOX=1: this machine must run the Firefox call').toBeNull();
  // Two to three minutes here while other engineers' test runs share the two cores.
  test.setTimeout(360_000);

  // The client at the kiosk, in Spanish, with the call's code.
  const client = await chromiumPage(TONE.CLIENT);
  await client.goto('/kiosk');
  await client.getByLabel('Device credential').fill('kiosk-demo-adams');
  await client.getByRole('button', { name: 'Set up tablet' }).click();
  await client
    .getByRole('list', { name: 'Languages' })
    .getByRole('button', { name: /Spanish/ })
    .click();
  for (const digit of PIN) await client.getByRole('button', { name: digit, exact: true }).click();
  await client.getByRole('button', { name: 'Entrar a la llamada', exact: true }).click();
  await expect(client.getByRole('list', { name: 'Personas en la llamada' })).toBeVisible();

  // The attorney in Chromium.
  const attorney = await chromiumPage(TONE.ATTORNEY);
  await attorney.goto('/sign-in');
  await attorney.getByLabel('Email').fill(DEMO_USERS.attorney);
  await attorney.getByLabel('Password').fill(DEMO_PASSWORD);
  await attorney.getByRole('button', { name: 'Sign in' }).click();
  await expect(attorney.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await attorney.goto('/my-schedule');
  await attorney.getByRole('link', { name: 'Join call' }).first().click();
  await attorney.getByRole('button', { name: 'Join the call' }).click();
  await expect(attorney.getByRole('list', { name: 'Participants' })).toBeVisible();

  // The interpreter in Firefox: signs in, checks the microphone, joins.
  firefox = await launchFirefox();
  const interpreter = await firefox.browser.newPage();
  await interpreter.evaluateOnNewDocument(() => localStorage.setItem('parley.originalSound', 'on'));
  await interpreter.goto(`${firefoxBaseUrl}/sign-in`);
  await interpreter.locator('input[type="email"]').fill(DEMO_USERS.interpreter);
  await interpreter.locator('input[type="password"]').fill(DEMO_PASSWORD);
  await clickText(interpreter, 'button', 'Sign in');
  await interpreter.locator('::-p-text(Sign out)').setTimeout(20_000).wait();
  await interpreter.goto(`${firefoxBaseUrl}/my-schedule`);
  await clickText(interpreter, 'a', 'Join call');
  await interpreter.locator('meter').setTimeout(20_000).wait();
  await clickText(interpreter, 'button', 'Join the call');
  await interpreter.locator('ul[aria-label="Participants"]').setTimeout(20_000).wait();

  // Firefox's media goes over the namespace's veth, and nowhere else.
  await expect
    .poll(() => interpreter.evaluate(selectedPairInPage), {
      timeout: 30_000,
      message: "Firefox's selected candidate pair",
    })
    .toEqual({ local: netns!.nsAddress, remote: netns!.hostAddress });

  // The Chromium listeners hear both others, each at its own frequency.
  await expectToHear(attorney, 'CLIENT', TONE.CLIENT);
  await expectToHear(attorney, 'INTERPRETER', TONE.INTERPRETER);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);
  await expectToHear(client, 'INTERPRETER', TONE.INTERPRETER);
  // Firefox receives both, with sound in it.
  await expectFirefoxReceives(interpreter, 'ATTORNEY');
  await expectFirefoxReceives(interpreter, 'CLIENT');
  // And what Firefox shows is the truth about its own microphone.
  await interpreter.locator('button[aria-label="Turn microphone off"][aria-pressed="true"]').wait();
});
