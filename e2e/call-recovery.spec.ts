import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  expectToHear,
  failMediaConnection,
  launchParticipantBrowser,
  mediaOf,
  mediaReconnectedAfter,
  originalSound,
  recordPeerConnections,
  writeToneWav,
} from './callSupport.ts';
import { DEMO_A_NUMBER_DIGITS, joinListedKioskCall } from './kioskSupport.ts';
import { signInAs } from './support.ts';

/**
 * A call that moves: the same person opening it in a second window (which takes it over; the first
 * says so and can take it back), the same on the kiosk in the client's language, and a media
 * connection that fails (ICE) and is replaced on the same signalling connection.
 *
 * These use the second demo call (LaSalle, Haitian Creole: Thomas Landry and the kiosk), so they do
 * not depend on what call.spec.ts does with the first.
 */

const TONE = { ATTORNEY: 523, CLIENT: 1046 } as const;
const ATTORNEY_EMAIL = 'probono@parley.demo';
const REPLACED_HERE = 'This call is open in another window or device.';

let browsers: Browser[] = [];

test.afterEach(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  browsers = [];
});

async function participantContext(frequency: number, baseURL: string): Promise<BrowserContext> {
  const browser = await launchParticipantBrowser(writeToneWav(frequency));
  browsers.push(browser);
  return browser.newContext({ baseURL });
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await originalSound(page);
  await recordPeerConnections(page);
  return page;
}

async function openAttorneyCall(page: Page): Promise<void> {
  await page.goto('/my-schedule');
  await page.getByRole('link', { name: 'Join call' }).first().click();
  await page.getByRole('button', { name: 'Join the call' }).click(); // past the device check
  await expect(page.getByRole('list', { name: 'Participants' })).toBeVisible();
}

/** The kiosk, set up once per browser context; each page chooses Kreyòl and the call. */
async function openKioskCall(page: Page, setUp: boolean): Promise<void> {
  await page.goto('/kiosk');
  if (setUp) {
    await page.getByLabel('Device credential').fill('kiosk-demo-lasalle');
    await page.getByRole('button', { name: 'Set up tablet' }).click();
  }
  await page.getByRole('button', { name: /Kreyòl/ }).click();
  await joinListedKioskCall(page, DEMO_A_NUMBER_DIGITS.lasalle);
}

test('a second window takes the call over, the first says so and takes it back; a failed media connection is replaced in place', async ({
  baseURL,
}) => {
  test.setTimeout(150_000);
  const clientContext = await participantContext(TONE.CLIENT, baseURL!);
  const client = await newPage(clientContext);
  await openKioskCall(client, true);

  const attorneyContext = await participantContext(TONE.ATTORNEY, baseURL!);
  const first = await newPage(attorneyContext);
  await signInAs(first, ATTORNEY_EMAIL);
  await openAttorneyCall(first);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);
  await expectToHear(first, 'CLIENT', TONE.CLIENT);

  // The same attorney opens the call in a second window: it takes over; the first says where the
  // call went, has let go of its media, and does not reconnect by itself.
  const second = await newPage(attorneyContext);
  await openAttorneyCall(second);
  await expect(first.getByText(REPLACED_HERE)).toBeVisible();
  await expect.poll(() => mediaOf(first)).toBeNull();
  await expectToHear(second, 'CLIENT', TONE.CLIENT);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);
  await first.waitForTimeout(3000);
  await expect(first.getByText(REPLACED_HERE)).toBeVisible();
  await expect(second.getByRole('list', { name: 'Participants' })).toBeVisible();

  // "Use the call here" takes it back: now the second window is the one told.
  await first.getByRole('button', { name: 'Use the call here' }).click();
  await expect(first.getByRole('list', { name: 'Participants' })).toBeVisible();
  await expect(second.getByText(REPLACED_HERE)).toBeVisible();
  await expectToHear(first, 'CLIENT', TONE.CLIENT);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);
  await second.close();

  // ICE fails on the attorney's side while signalling holds (simulated: the page is told its
  // connection failed). The page asks for a new media connection on the same socket; the call goes on.
  const before = await failMediaConnection(first);
  await expect.poll(() => mediaReconnectedAfter(first, before)).toBe(true);
  await expect(first.locator('.call-banner', { hasText: 'Reconnecting' })).toHaveCount(0);
  await expectToHear(first, 'CLIENT', TONE.CLIENT);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);
});

test('a kiosk replaced by another screen says so in the client’s language and can take the call back', async ({
  baseURL,
}) => {
  test.setTimeout(90_000);
  const context = await participantContext(TONE.CLIENT, baseURL!);
  const first = await newPage(context);
  await openKioskCall(first, true);
  await expect(first.getByRole('list', { name: 'Moun ki nan apèl la' })).toBeVisible();

  const second = await newPage(context);
  await openKioskCall(second, false);
  await expect(second.getByRole('list', { name: 'Moun ki nan apèl la' })).toBeVisible();
  const replaced = first
    .getByRole('status')
    .filter({ hasText: 'Apèl sa a louvri sou yon lòt ekran kounye a.' });
  await expect(replaced).toBeVisible();
  await expect(replaced.locator('svg')).toBeVisible();

  await first.getByRole('button', { name: 'Antre nan apèl la' }).click();
  await expect(first.getByRole('list', { name: 'Moun ki nan apèl la' })).toBeVisible();
  await expect(second.getByText('Apèl sa a louvri sou yon lòt ekran kounye a.')).toBeVisible();
});
