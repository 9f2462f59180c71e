import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  expectedMediaKind,
  expectToHear,
  gainFor,
  launchParticipantBrowser,
  mediaOf,
  originalSound,
  packetsFrom,
  recordPeerConnections,
  selectedCandidatePairs,
  writeToneWav,
} from './callSupport.ts';
import { chromiumNetns, machineAddresses } from './chromiumNetns.ts';
import { DEMO_USERS, signInAs } from './support.ts';
import { DEMO_A_NUMBER_DIGITS, joinListedKioskCall } from './kioskSupport.ts';

/** Each participant's microphone is a different tone, so a listener can tell who it hears. */
const TONE = { ATTORNEY: 440, INTERPRETER: 880, CLIENT: 1320 } as const;

let browsers: Browser[] = [];

test.afterEach(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  browsers = [];
});

async function participantPage(frequency: number, baseURL: string): Promise<Page> {
  const browser = await launchParticipantBrowser(writeToneWav(frequency));
  browsers.push(browser);
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await originalSound(page);
  await recordPeerConnections(page);
  return page;
}

async function joinFromSchedule(page: Page): Promise<void> {
  await page.goto('/my-schedule');
  await page.getByRole('link', { name: 'Join call' }).first().click();
  await page.getByRole('button', { name: 'Join the call' }).click(); // past the device check
  await expect(page.getByRole('list', { name: 'Participants' })).toBeVisible();
}

test('three browsers hold a call: routing by mode, a private sidebar, a reload that resumes; staff then read its log', async ({
  baseURL,
  page: staff,
}) => {
  test.setTimeout(180_000);
  const attorney = await participantPage(TONE.ATTORNEY, baseURL!);
  const interpreter = await participantPage(TONE.INTERPRETER, baseURL!);
  const client = await participantPage(TONE.CLIENT, baseURL!);

  // The client joins first at the kiosk and waits in the lobby, in Spanish.
  await client.goto('/kiosk');
  await client.getByLabel('Device credential').fill('kiosk-demo-adams');
  await client.getByRole('button', { name: 'Set up tablet' }).click();
  await client.getByRole('button', { name: /Español/ }).click();
  await joinListedKioskCall(client, DEMO_A_NUMBER_DIGITS.adams);
  await expect(client.locator('.call-lobby')).toBeVisible();

  await signInAs(attorney, DEMO_USERS.attorney);
  await joinFromSchedule(attorney);
  await expect(client.locator('.call-lobby')).toHaveCount(0);
  await signInAs(interpreter, DEMO_USERS.interpreter);
  await joinFromSchedule(interpreter);
  // On the engine the suite was started with (E2E_MEDIA_ENGINE), not a fallback.
  const kind = expectedMediaKind();
  if (kind)
    for (const page of [attorney, interpreter, client])
      await expect
        .poll(async () => (await mediaOf(page))?.kind, { message: 'media session kind' })
        .toBe(kind);

  // CONSECUTIVE: everyone hears both others.
  await expectToHear(attorney, 'CLIENT', TONE.CLIENT);
  await expectToHear(attorney, 'INTERPRETER', TONE.INTERPRETER);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);
  await expectToHear(client, 'INTERPRETER', TONE.INTERPRETER);
  await expectToHear(interpreter, 'ATTORNEY', TONE.ATTORNEY);
  await expectToHear(interpreter, 'CLIENT', TONE.CLIENT);

  // Every browser's media goes over the veth of the run's network namespace (chromiumNetns.ts):
  // each connected transport's selected pair is the namespace's address and the veth's root end,
  // never an address of this machine's own network. Without a namespace (not in CI, where
  // PARLEY_REQUIRE_CHROMIUM_NETNS=1 fails the run instead) Chromium sends from the machine's address.
  const netns = chromiumNetns();
  if (netns) {
    const machine = machineAddresses();
    for (const page of [attorney, interpreter, client]) {
      const pairs = await selectedCandidatePairs(page);
      test.info().annotations.push({ type: 'selected candidate pairs', description: JSON.stringify(pairs) });
      expect(pairs.length, 'connected transports with a selected pair').toBeGreaterThan(0);
      for (const pair of pairs) {
        expect([pair.local, pair.remote].filter((a) => machine.includes(a))).toEqual([]);
        expect(pair).toEqual({ local: netns.nsAddress, remote: netns.hostAddress });
      }
    }
  } else {
    test.info().annotations.push({
      type: 'skipped check',
      description: 'media addresses: Chromium runs beside the server here (no network namespace)',
    });
  }

  // SIMULTANEOUS, rendering into Spanish: the client hears the interpreter in full and the attorney
  // ducked; the attorney receives none of the interpreter's audio.
  await interpreter.getByRole('radio', { name: 'Simultaneous' }).click();
  await interpreter.getByRole('radio', { name: /Spanish/ }).click();
  await expect.poll(() => gainFor(client, 'ATTORNEY')).toEqual({ sent: true, gain: 0.2 });
  await expect.poll(() => gainFor(client, 'INTERPRETER')).toEqual({ sent: true, gain: 1 });
  await expect.poll(() => gainFor(attorney, 'INTERPRETER')).toEqual({ sent: false, gain: 0 });
  const attorneyGotInterpreter = await packetsFrom(attorney, 'INTERPRETER');
  await attorney.waitForTimeout(1500);
  expect(await packetsFrom(attorney, 'INTERPRETER')).toBeLessThanOrEqual(attorneyGotInterpreter + 5);
  await expectToHear(client, 'INTERPRETER', TONE.INTERPRETER);

  // The light switch flips to English: now the attorney hears the interpreter, the client does not.
  await interpreter.getByRole('radio', { name: /English/ }).click();
  await expect.poll(() => gainFor(attorney, 'INTERPRETER')).toEqual({ sent: true, gain: 1 });
  await expect.poll(() => gainFor(client, 'INTERPRETER')).toEqual({ sent: false, gain: 0 });
  await expectToHear(attorney, 'INTERPRETER', TONE.INTERPRETER);
  await interpreter.getByRole('radio', { name: 'Consecutive' }).click();

  // SIDEBAR: the client's browser receives no RTP from the attorney or the interpreter, who still
  // hear each other; the client sees that a sidebar is on.
  await attorney.getByRole('button', { name: 'Sidebar with interpreter' }).click();
  await expect(client.getByRole('status').filter({ hasText: /abogado|privad/i })).toBeVisible();
  await expect.poll(() => gainFor(client, 'ATTORNEY')).toEqual({ sent: false, gain: 0 });
  await client.waitForTimeout(500); // packets already in flight drain
  const before = {
    attorney: await packetsFrom(client, 'ATTORNEY'),
    interpreter: await packetsFrom(client, 'INTERPRETER'),
  };
  await client.waitForTimeout(2000);
  expect(await packetsFrom(client, 'ATTORNEY')).toBe(before.attorney);
  expect(await packetsFrom(client, 'INTERPRETER')).toBe(before.interpreter);
  await expectToHear(attorney, 'INTERPRETER', TONE.INTERPRETER);
  await expectToHear(interpreter, 'ATTORNEY', TONE.ATTORNEY);
  await attorney.getByRole('button', { name: 'End sidebar' }).click();
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);

  // The attorney's page reloads: they rejoin in their place and the call resumes.
  await attorney.reload();
  await expect(attorney.getByRole('list', { name: 'Participants' })).toBeVisible();
  await expectToHear(attorney, 'CLIENT', TONE.CLIENT);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);

  // The attorney ends the call for everyone; the client sees the end in Spanish.
  await attorney.getByRole('button', { name: 'End call for everyone' }).click();
  await attorney.getByRole('button', { name: 'End the call' }).click(); // confirmed
  await expect(client.getByText(/La llamada terminó|terminado/i)).toBeVisible();

  // Staff open the client's case: the call's timeline and summary are there, metadata only.
  await signInAs(staff, DEMO_USERS.staff);
  await staff.getByRole('table', { name: 'Cases' }).getByRole('link', { name: 'GS-2026-0101' }).click();
  const consultation = staff
    .getByRole('region', { name: /^Consultation / })
    .filter({ hasText: 'joined by kiosk' });
  await expect(consultation.getByText(/Log intact/)).toBeVisible();
  const timeline = consultation.getByRole('list', { name: 'Timeline' });
  await expect(timeline).toContainText('joined by kiosk');
  await expect(timeline).toContainText(/[Ss]idebar/);
  await expect(timeline).toContainText('Call ended: the attorney ended it');
  await expect(consultation.getByLabel('Summary')).toContainText('Interpreter minutes');
});
