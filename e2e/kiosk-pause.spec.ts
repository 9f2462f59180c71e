import { expect, test, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { ConsultationView, Page as ListPage } from '@parley/shared';
import type englishClientText from '../client/src/i18n/locales/en/client.json';
import { SignalingTestClient } from '../server/src/calls/testing/SignalingTestClient.ts';
import { launchParticipantBrowser, writeToneWav } from './callSupport.ts';
import { DEMO_A_NUMBER_DIGITS, joinListedKioskCall } from './kioskSupport.ts';
import { startOwnParley, type OwnParley } from './ownServer.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './support.ts';

/**
 * "Please pause" on the kiosk in Arabic (issue 17): the request an interpreter makes of the client
 * is shown large, in Arabic, right to left, with its one button; a kiosk that reloads while it is
 * open finds it again without a new request, and one tap acknowledges it.
 *
 * One Chromium (the kiosk) on a Parley of the spec's own; the attorney (with media, so the client is
 * out of the lobby) and the interpreter are headless participants over the same socket protocol
 * (server/src/calls/testing), since what their screens show is not what this spec is about.
 */

const ar = JSON.parse(
  readFileSync(new URL('../client/src/i18n/locales/ar/client.json', import.meta.url), 'utf8'),
) as typeof englishClientText;

let parley: OwnParley;
let browser: Browser | null = null;
const headless: SignalingTestClient[] = [];

test.beforeAll(async () => {
  parley = await startOwnParley();
});

test.afterAll(async () => {
  await browser?.close();
  await Promise.allSettled(headless.map((c) => c.close()));
  await parley?.close();
});

async function api<T>(path: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${parley.url}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

const signIn = async (email: string) =>
  (await api<{ accessToken: string }>('/auth/login', null, { email, password: DEMO_PASSWORD })).accessToken;

test('the kiosk in Arabic shows the interpreter’s please-pause right to left, again after a reload, until one tap', async () => {
  test.setTimeout(180_000);
  const attorneyToken = await signIn(DEMO_USERS.attorney);
  const interpreterToken = await signIn(DEMO_USERS.interpreter);
  // The Adams demo call happening now (kiosk code 246810), as the attorney's schedule lists it.
  const now = Date.now();
  const open = await api<ListPage<ConsultationView>>(
    `/consultations?status=OPEN&from=${new Date(now - 3 * 3600_000).toISOString()}&to=${new Date(now + 3600_000).toISOString()}&limit=50`,
    attorneyToken,
  );
  const call = open.items.find(
    (c) => c.kioskPin === '246810' && Date.parse(c.startsAt) <= now && now < Date.parse(c.endsAt),
  );
  expect(call, 'the Adams call happening now').toBeDefined();
  const ticket = async (token: string) =>
    (await api<{ token: string }>(`/calls/${call!.id}/ticket`, token, {})).token;

  const attorney = await SignalingTestClient.connect(parley.url, 'attorney');
  headless.push(attorney);
  await attorney.joinWithMedia(await ticket(attorneyToken), 0);
  const interpreter = await SignalingTestClient.connect(parley.url, 'interpreter');
  headless.push(interpreter);
  expect((await interpreter.join(await ticket(interpreterToken))).ok).toBe(true);

  browser = await launchParticipantBrowser(writeToneWav(660));
  const context = await browser.newContext({ baseURL: parley.url, viewport: { width: 1280, height: 800 } });
  const kiosk = await context.newPage();
  await kiosk.goto('/kiosk');
  await kiosk.getByLabel('Device credential').fill('kiosk-demo-adams');
  await kiosk.getByRole('button', { name: 'Set up tablet' }).click();
  await kiosk
    .getByRole('list', { name: 'Languages' })
    .getByRole('button', { name: /Arabic/ })
    .click();
  await joinListedKioskCall(kiosk, DEMO_A_NUMBER_DIGITS.adams);
  await expect(kiosk.getByRole('list', { name: ar.peopleInCall })).toBeVisible({ timeout: 30_000 });
  await expect(kiosk.locator('.call-kiosk')).toHaveAttribute('dir', 'rtl');
  await expect(kiosk.getByRole('timer', { name: ar.timeLeft })).toBeVisible();

  const clientId = `client:${call!.id}`;
  await interpreter.waitForState(
    (s) => !s.lobby && s.participants.some((p) => p.participantId === clientId),
    'the client seated, out of the lobby',
  );
  expect(await interpreter.send('pleasePause', { speakerId: clientId })).toEqual({ ok: true, data: null });
  const banner = kiosk.getByRole('alert').filter({ hasText: ar.pleasePause });
  await expect(banner).toBeVisible();
  expect(await banner.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  await expect(banner.getByRole('button', { name: ar.pauseAcknowledge })).toBeVisible();
  // Nothing is pushed off the 1280×800 screen by the banner: the call's controls stay in view.
  expect(await kiosk.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(800);

  // The tablet reloads: back in the call, the request still open is shown without a new one.
  await kiosk.reload();
  await expect(banner).toBeVisible({ timeout: 30_000 });
  const asked = interpreter.state?.interpretation?.pauseRequests ?? [];
  expect(asked).toHaveLength(1);

  await banner.getByRole('button', { name: ar.pauseAcknowledge }).click();
  await expect(banner).toHaveCount(0);
  await interpreter.waitForState(
    (s) => s.interpretation?.pauseRequests?.[0]?.acknowledgedAt != null,
    'the acknowledgement',
  );
});
