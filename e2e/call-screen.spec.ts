import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CLIENT_LANGUAGES, type LanguageCode } from '@parley/shared';
import type englishCallText from '../client/src/i18n/locales/en/call.json';
import type englishClientText from '../client/src/i18n/locales/en/client.json';
import { expectToHear, launchParticipantBrowser, originalSound, writeToneWav } from './callSupport.ts';
import { startOwnParley, type OwnParley } from './ownServer.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './support.ts';

/**
 * The call screen tells the truth: on the kiosk, in every client language, the microphone button
 * shows the state it is in and is named by what a tap does; a client who leaves is told they left
 * (not that the call ended) and may come back; the attorney checks devices before joining, sees who
 * is missing, confirms before ending the call for everyone, and is told what happens next.
 *
 * Runs on a Parley server of its own (ownServer.ts), so the demo call it ends is not the one the
 * other call specs use.
 */

type ClientStringKey = keyof typeof englishClientText;

/**
 * What the screen shows in `language`: its own i18next catalog, else down the chain the app
 * configures (client/src/i18n/i18n.ts: the Mayan languages through Spanish, then English).
 */
function clientText(language: LanguageCode, key: ClientStringKey): string {
  const chain = ['quc', 'mam', 'kjb'].includes(language) ? [language, 'es', 'en'] : [language, 'en'];
  for (const code of chain) {
    const file = new URL(`../client/src/i18n/locales/${code}/client.json`, import.meta.url);
    const text = (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<ClientStringKey, string>>)[key];
    if (text) return text;
  }
  throw new Error(`no client text for ${key}`);
}

/** The attorney's, interpreter's and staff member's call screen text (the `call` catalog). */
function callText(language: 'en' | 'es'): typeof englishCallText {
  const file = new URL(`../client/src/i18n/locales/${language}/call.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as typeof englishCallText;
}

/** The Adams demo call (Spanish, the kiosk code 246810, GS-2026-0101). */
const PIN = '246810';
const KIOSK_CREDENTIAL = 'kiosk-demo-adams';
const TONE = { ATTORNEY: 440, CLIENT: 1320 } as const;

let parley: OwnParley;
let browsers: Browser[] = [];

test.beforeAll(async () => {
  parley = await startOwnParley();
});
test.afterAll(async () => {
  await parley?.close();
});
test.afterEach(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  browsers = [];
});

async function browserWithTone(frequency: number): Promise<Browser> {
  const browser = await launchParticipantBrowser(writeToneWav(frequency));
  browsers.push(browser);
  return browser;
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await originalSound(page);
  return page;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A fresh tablet: set up, the client's language chosen, the 6-digit code typed, in the call. */
async function kioskJoin(page: Page, language: LanguageCode): Promise<void> {
  const t = (key: ClientStringKey) => clientText(language, key);
  const name = CLIENT_LANGUAGES.find((l) => l.code === language)!.englishName;
  await page.goto('/kiosk');
  await page.getByLabel('Device credential').fill(KIOSK_CREDENTIAL);
  await page.getByRole('button', { name: 'Set up tablet' }).click();
  await page
    .getByRole('list', { name: 'Languages' })
    .getByRole('button', { name: new RegExp(escape(name)) })
    .click();
  for (const digit of PIN) await page.getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: t('join'), exact: true }).click();
  await expect(page.getByRole('list', { name: t('peopleInCall') })).toBeVisible();
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

test('in every client language the kiosk microphone button shows its true state, before and after a tap', async () => {
  test.setTimeout(20 * 30_000); // twenty joins on a shared two-core machine
  const browser = await browserWithTone(TONE.CLIENT);
  expect(CLIENT_LANGUAGES).toHaveLength(20);
  for (const { code } of CLIENT_LANGUAGES) {
    const t = (key: ClientStringKey) => clientText(code, key);
    const context = await browser.newContext({ baseURL: parley.url });
    const page = await newPage(context);
    await kioskJoin(page, code);

    // Live: the words say "on"; the name (what a screen reader says, the tooltip) is the action.
    const live = page.getByRole('button', { name: t('turnMicrophoneOff'), exact: true });
    await expect(live, code).toHaveAttribute('aria-pressed', 'true');
    await expect(live, code).toHaveAccessibleDescription(t('microphoneOn'));
    await expect(live, code).toHaveText(t('microphoneOn'));
    await expect(page.getByRole('button', { name: t('turnMicrophoneOn'), exact: true })).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: t('youAreMuted') })).toHaveCount(0);
    // The camera starts off, and says so.
    const camera = page.getByRole('button', { name: t('turnCameraOn'), exact: true });
    await expect(camera, code).toHaveAttribute('aria-pressed', 'false');
    await expect(camera, code).toHaveAccessibleDescription(t('cameraOff'));

    await live.click();
    const muted = page.getByRole('button', { name: t('turnMicrophoneOn'), exact: true });
    await expect(muted, code).toHaveAttribute('aria-pressed', 'false');
    await expect(muted, code).toHaveAccessibleDescription(t('microphoneOff'));
    await expect(muted, code).toHaveText(t('microphoneOff'));
    await expect(page.getByRole('button', { name: t('turnMicrophoneOff'), exact: true })).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: t('youAreMuted') }), code).toBeVisible();

    // And back.
    await muted.click();
    await expect(
      page.getByRole('button', { name: t('turnMicrophoneOff'), exact: true }),
    ).toHaveAccessibleDescription(t('microphoneOn'));
    await context.close();
  }
});

test('an attorney who left and opens the call again starts at the device check; a rejoin from "you left" resumes on reload', async () => {
  test.setTimeout(180_000);
  const en = (key: keyof typeof englishCallText.room) => callText('en').room[key];
  const attorneyBrowser = await browserWithTone(TONE.ATTORNEY);
  const attorney = await newPage(await attorneyBrowser.newContext({ baseURL: parley.url }));
  await signIn(attorney, DEMO_USERS.attorney);
  await attorney.goto('/my-schedule');
  await attorney.getByRole('link', { name: 'Join call' }).first().click();
  await expect(attorney.getByRole('heading', { name: 'Before you join' })).toBeVisible();
  await attorney.getByRole('button', { name: en('join'), exact: true }).click();
  await expect(attorney.getByRole('list', { name: 'Participants' })).toBeVisible();
  const callUrl = attorney.url();

  // Left: opening the call again (here by its address; the schedule link is the same) asks for
  // the devices again instead of putting them straight back in with the microphone live.
  await attorney.getByRole('button', { name: en('leave'), exact: true }).click();
  await attorney.getByRole('button', { name: en('yes'), exact: true }).click();
  await expect(attorney.getByText(en('youLeft'))).toBeVisible();
  await attorney.goto('/my-schedule');
  await attorney.goto(callUrl);
  await expect(attorney.getByRole('heading', { name: 'Before you join' })).toBeVisible();
  await expect(attorney.getByRole('list', { name: 'Participants' })).toHaveCount(0);

  // Rejoined from the "you left" screen, a reload resumes the call as before.
  await attorney.getByRole('button', { name: en('join'), exact: true }).click();
  await expect(attorney.getByRole('list', { name: 'Participants' })).toBeVisible();
  await attorney.getByRole('button', { name: en('leave'), exact: true }).click();
  await attorney.getByRole('button', { name: en('yes'), exact: true }).click();
  await attorney.getByRole('button', { name: en('join'), exact: true }).click();
  await expect(attorney.getByRole('list', { name: 'Participants' })).toBeVisible();
  await attorney.reload();
  await expect(attorney.getByRole('list', { name: 'Participants' })).toBeVisible();
  await expect(attorney.getByRole('heading', { name: 'Before you join' })).toHaveCount(0);

  // Out again, so the next test starts with nobody in the call.
  await attorney.getByRole('button', { name: en('leave'), exact: true }).click();
  await attorney.getByRole('button', { name: en('yes'), exact: true }).click();
  await expect(attorney.getByText(en('youLeft'))).toBeVisible();
});

test('an attorney who reads Spanish has the call screen in Spanish: device check, case and language, who is missing, controls, leaving', async () => {
  test.setTimeout(180_000);
  const es = callText('es');
  const attorneyBrowser = await browserWithTone(TONE.ATTORNEY);
  const attorney = await newPage(await attorneyBrowser.newContext({ baseURL: parley.url }));
  await signIn(attorney, DEMO_USERS.attorney);
  // Chosen in the header, as on every staff screen; the call page (no header) follows the choice.
  await attorney.getByRole('combobox', { name: 'Language' }).selectOption('es');
  await attorney.goto('/my-schedule');
  await attorney.getByRole('link', { name: 'Unirse a la llamada' }).first().click();

  await expect(attorney.getByRole('heading', { name: es.prejoin.title })).toBeVisible();
  await expect(attorney.locator('.prejoin')).toHaveAttribute('lang', 'es');
  await expect(attorney.locator('.prejoin-facts')).toHaveText(/^Caso GS-2026-0101 · Español$/);
  await expect(attorney.getByRole('combobox', { name: es.prejoin.microphone })).toBeVisible();
  await expect(attorney.getByRole('meter', { name: es.prejoin.speak })).toBeVisible();
  await attorney.getByRole('button', { name: es.prejoin.join, exact: true }).click();

  // The header: the case, the client's language named in Spanish, and who is missing as one
  // Spanish sentence (a plural verb and the language's own list: "Faltan el cliente y el intérprete").
  await expect(attorney.getByRole('list', { name: es.participants })).toBeVisible();
  const header = attorney.locator('.call-header');
  await expect(header).toContainText(`${es.case} GS-2026-0101`);
  await expect(header).toContainText('Español');
  await expect(header).toContainText(es.header.private);
  // A client an earlier spec left in this call is "reconnecting" until the 30 s grace runs out.
  await expect(attorney.getByRole('status', { name: es.header.presence })).toHaveText(
    'Faltan el cliente y el intérprete',
    { timeout: 45_000 },
  );
  await expect(attorney.getByText(es.room.waitingForOthers)).toBeVisible();

  // The microphone button in Spanish: the state on it, the action as its name.
  await attorney.getByRole('button', { name: es.room.turnMicrophoneOff, exact: true }).click();
  await expect(attorney.getByRole('button', { name: es.room.turnMicrophoneOn, exact: true })).toHaveText(
    es.room.microphoneOff,
  );
  await attorney.getByRole('button', { name: es.room.turnMicrophoneOn, exact: true }).click();
  await expect(attorney.getByRole('button', { name: es.end.button })).toBeVisible();
  await expect(attorney.getByRole('button', { name: es.sidebar.start })).toBeVisible();

  // Leaving, in Spanish; nothing of the English screen is left.
  await attorney.getByRole('button', { name: es.room.leave, exact: true }).click();
  await attorney.getByRole('button', { name: es.room.yes, exact: true }).click();
  await expect(attorney.getByText(es.room.youLeft)).toBeVisible();
  await expect(attorney.getByRole('button', { name: es.backToSchedule })).toBeVisible();
  await expect(attorney.getByText(/Leave the call|Join the call|Waiting for/)).toHaveCount(0);
});

test('a client who leaves is told so and comes back; the attorney checks devices, sees who is missing, confirms the end and learns what comes next', async () => {
  test.setTimeout(300_000);
  const es = (key: ClientStringKey) => clientText('es', key);

  // The client waits in the lobby; the lobby's message is shown once.
  const clientBrowser = await browserWithTone(TONE.CLIENT);
  const client = await newPage(await clientBrowser.newContext({ baseURL: parley.url }));
  await kioskJoin(client, 'es');
  await expect(client.getByText(es('waitingForLawyer'), { exact: true })).toHaveCount(1);

  // The attorney's pre-join: a microphone to choose, its level moving, a test sound, then join.
  const attorneyBrowser = await browserWithTone(TONE.ATTORNEY);
  const attorney = await newPage(await attorneyBrowser.newContext({ baseURL: parley.url }));
  await signIn(attorney, DEMO_USERS.attorney);
  await attorney.goto('/my-schedule');
  await attorney.getByRole('link', { name: 'Join call' }).first().click();
  await expect(attorney.getByRole('heading', { name: 'Before you join' })).toBeVisible();
  await expect(attorney.getByText('GS-2026-0101')).toBeVisible();
  const microphone = attorney.getByRole('combobox', { name: 'Microphone' });
  await expect.poll(() => microphone.locator('option').count()).toBeGreaterThan(1);
  const meter = attorney.getByRole('meter', { name: 'Speak: the bar should move' });
  await expect.poll(async () => Number(await meter.getAttribute('value'))).toBeGreaterThan(0.05);
  await attorney.getByRole('button', { name: 'Play a test sound' }).click();
  await expect(attorney.getByRole('button', { name: 'Play a test sound' })).toBeEnabled();
  await attorney.getByRole('button', { name: 'Join the call' }).click();

  // In the call: the header names the case and language and who is missing.
  await expect(attorney.getByRole('list', { name: 'Participants' })).toBeVisible();
  const presence = attorney.getByRole('status', { name: 'Who is in the call' });
  await expect(presence).toHaveText('Waiting for the interpreter');
  await expect(attorney.locator('.call-header')).toContainText('Spanish');
  await expect(attorney.locator('.call-header')).toContainText('GS-2026-0101');
  await expect(client.getByText(es('waitingForLawyer'), { exact: true })).toHaveCount(0);
  await expectToHear(attorney, 'CLIENT', TONE.CLIENT);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);
  // No empty status under a name; a muted client shows a crossed-out microphone with its name.
  const clientTile = attorney.locator('.tile[data-role="CLIENT"]');
  await expect(clientTile.locator('.tile-status')).toHaveCount(0);
  await client.getByRole('button', { name: es('turnMicrophoneOff'), exact: true }).click();
  await expect(clientTile.getByRole('img', { name: 'Microphone off' })).toBeVisible();
  await client.getByRole('button', { name: es('turnMicrophoneOn'), exact: true }).click();
  await expect(clientTile.locator('.tile-status')).toHaveCount(0);

  // The client leaves: they are told they left, not that the call ended; the attorney carries on.
  await client.getByRole('button', { name: es('leave'), exact: true }).click();
  await client.getByRole('button', { name: es('yes'), exact: true }).click();
  await expect(client.getByText(es('youLeft'))).toBeVisible();
  await expect(client.getByText(es('callEnded'))).toHaveCount(0);
  await expect(presence).toHaveText('Waiting for the client and interpreter');
  await expect(attorney.locator('.tile[data-role="CLIENT"]')).toHaveCount(0);
  await expect(attorney.getByText('The call has ended.')).toHaveCount(0);

  // And comes back into the same call.
  await client.getByRole('button', { name: es('join'), exact: true }).click();
  await expect(client.getByRole('list', { name: es('peopleInCall') })).toBeVisible();
  await expect(presence).toHaveText('Waiting for the interpreter');
  await expectToHear(attorney, 'CLIENT', TONE.CLIENT);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);

  // "End call for everyone" asks first; "Keep talking" keeps the call.
  await attorney.getByRole('button', { name: 'End call for everyone' }).click();
  const confirm = attorney.getByRole('group', { name: 'End the call for everyone?' });
  await confirm.getByRole('button', { name: 'Keep talking' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(client.getByText(es('callEnded'))).toHaveCount(0);
  await expectToHear(client, 'ATTORNEY', TONE.ATTORNEY);
  await attorney.getByRole('button', { name: 'End call for everyone' }).click();
  await confirm.getByRole('button', { name: 'End the call' }).click();

  // Ended: the client in Spanish; the attorney is told why and what happens next.
  await expect(client.getByText(es('callEnded'))).toBeVisible();
  await expect(attorney.getByText('The call has ended.')).toBeVisible();
  await expect(attorney.getByText('The attorney ended the call for everyone.')).toBeVisible();
  const next = attorney.getByRole('region', { name: 'What happens next' });
  await expect(next).toContainText('session log');
  await expect(next).toContainText('case note');
  await attorney.getByRole('link', { name: 'Open the case record' }).click();

  // The case record: this call's log, and the consultations still to come say when they are.
  await expect(attorney.getByRole('heading', { name: /GS-2026-0101/ })).toBeVisible();
  const ended = attorney
    .getByRole('region', { name: /^Consultation / })
    .filter({ hasText: 'joined by kiosk' });
  await expect(ended.getByRole('list', { name: 'Timeline' })).toContainText(
    'Call ended: the attorney ended it',
  );
  const upcoming = attorney.getByRole('region', { name: /^Consultation .* · Scheduled$/ });
  await expect(upcoming.first()).toContainText('Scheduled for');
  await expect(upcoming.first()).not.toContainText('did not take place');
});
