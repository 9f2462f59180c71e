import { expect, test, type Browser, type Page } from '@playwright/test';
import { loadConfig } from '../server/src/config.ts';
import { bookDemoConsultations } from '../server/src/db/demoBookings.ts';
import { ensureDemoCallsNow } from '../server/src/db/demoCalls.ts';
import { seedDemoData } from '../server/src/db/seed.ts';
import { createLogger } from '../server/src/logger.ts';
import { startServer, type RunningServer } from '../server/src/server.ts';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/testDatabase.ts';
import { launchParticipantBrowser, originalSound, writeToneWav } from './callSupport.ts';
import { mediaListenIps, ownServerAddress } from './chromiumNetns.ts';
import { DEMO_A_NUMBER_DIGITS, joinListedKioskCall } from './kioskSupport.ts';
import { signInAs } from './support.ts';

/**
 * A relay call in real Chromium (issue 17): the attorney (English), Lucía (English ↔ Spanish),
 * Ixchel (Spanish ↔ Mam) and the client at the kiosk in Mam, each with a microphone of their own
 * tone. Who hears whom is read from what each page plays (the dominant frequency of each speaker's
 * track) and from the RTP packets each page receives on each speaker's track.
 *
 * The spec runs on a Parley of its own (a fresh database with the demo organisation), where the
 * Adams demo call happening now becomes a Mam call with Ixchel as its interpreter and Lucía as the
 * English-side relay, as a booking with a relay makes it.
 */

const TONE = { attorney: 440, lucia: 740, ixchel: 1040, client: 1340 } as const;

let database: TestDatabase;
let server: RunningServer;
let consultationId: string;
/** The LaSalle demo call, made a Spanish call with Lucía and Ixchel as booth partners. */
let boothCallId: string;
let ids: { attorney: string; lucia: string; ixchel: string; client: string };
let browsers: Browser[] = [];

test.beforeAll(async () => {
  database = await createTestDatabase();
  const logger = createLogger('silent');
  const db = database.prisma;
  await seedDemoData(db, logger);
  await bookDemoConsultations(db, logger);
  await ensureDemoCallsNow(db, logger);
  const [attorney, lucia, ixchel] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { email: 'attorney@parley.demo' } }),
    db.user.findUniqueOrThrow({ where: { email: 'interpreter@parley.demo' } }),
    db.user.findUniqueOrThrow({ where: { email: 'mayan@parley.demo' } }),
  ]);
  const call = await db.consultation.findFirstOrThrow({
    where: { kioskPin: '246810', status: 'SCHEDULED' },
    orderBy: { startsAt: 'desc' },
  });
  consultationId = call.id;
  await db.consultation.update({
    where: { id: call.id },
    data: { language: 'mam', interpreterId: ixchel.id },
  });
  await db.consultationInterpreter.create({
    data: {
      organizationId: call.organizationId,
      consultationId: call.id,
      interpreterId: lucia.id,
      languageA: 'en',
      languageB: 'es',
    },
  });
  ids = { attorney: attorney.id, lucia: lucia.id, ixchel: ixchel.id, client: `client:${call.id}` };
  const booth = await db.consultation.findFirstOrThrow({
    where: { kioskPin: '135790', status: 'SCHEDULED' },
    orderBy: { startsAt: 'desc' },
  });
  boothCallId = booth.id;
  await db.consultation.update({
    where: { id: booth.id },
    data: { language: 'es', interpreterId: lucia.id },
  });
  await db.consultationInterpreter.create({
    data: {
      organizationId: booth.organizationId,
      consultationId: booth.id,
      interpreterId: ixchel.id,
      languageA: 'en',
      languageB: 'es',
    },
  });
  const config = {
    ...loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      JWT_SECRET: 'e2e-relay-secret-e2e-relay-secret-e2e-relay',
      MEDIA_LISTEN_IPS: mediaListenIps(),
    }),
    ...(await ownServerAddress()),
    seedDemoData: false,
    loginRateLimit: { windowMs: 60_000, max: 1000 },
  };
  server = await startServer({ db, config, logger });
});

// Eight Chromium processes at once are too many for a small machine: each test's go when it ends.
test.afterEach(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  browsers = [];
});

test.afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  browsers = [];
  await server?.close();
  await database?.close();
});

async function participantPage(frequency: number): Promise<Page> {
  const browser = await launchParticipantBrowser(writeToneWav(frequency, 30));
  browsers.push(browser);
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await originalSound(page);
  return page;
}

async function joinCall(page: Page, email: string, id = consultationId): Promise<void> {
  await signInAs(page, email);
  await page.goto(`/calls/${id}`);
  await page.getByRole('button', { name: 'Join the call' }).click();
  await expect(page.getByRole('list', { name: 'Participants' })).toBeVisible();
}

/** What the page plays from participant `id`: the dominant frequency of their track, or null. */
function heard(page: Page, id: string): Promise<number | null> {
  return page.evaluate((speaker) => {
    const call = (window as any).parleyCall;
    return call ? (call.audio.dominantFrequency(speaker) as number | null) : null;
  }, id);
}

async function expectToHear(page: Page, id: string, frequency: number, what: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const f = await heard(page, id);
        return f !== null && Math.abs(f - frequency) < 40 ? 'heard' : f;
      },
      { timeout: 20_000, message: what },
    )
    .toBe('heard');
}

/** RTP packets the page received on the track that carries participant `id`. */
function packets(page: Page, id: string): Promise<number> {
  return page.evaluate(async (speaker) => {
    const call = (window as any).parleyCall;
    const track = call?.routing()?.tracks.find((t: any) => t.kind === 'audio' && t.speakerId === speaker);
    const stats: RTCStatsReport | null = track ? await call.receiveStats() : null;
    if (!stats) return -1;
    let received = 0;
    stats.forEach((s: any) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && s.mid === track.mid) received = s.packetsReceived;
    });
    return received;
  }, id);
}

function gain(page: Page, id: string): Promise<{ sent: boolean; gain: number }> {
  return page.evaluate((speaker) => {
    const track = (window as any).parleyCall
      ?.routing()
      ?.tracks.find((t: any) => t.kind === 'audio' && t.speakerId === speaker);
    return track ? { sent: track.sent as boolean, gain: track.gain as number } : { sent: false, gain: 0 };
  }, id);
}

/** No packet of `id` reaches `page` for two seconds (a few in flight at the switch may land first). */
async function expectNoPacketsFrom(page: Page, id: string, what: string): Promise<void> {
  await page.waitForTimeout(500);
  const before = await packets(page, id);
  await page.waitForTimeout(2000);
  expect(await packets(page, id), what).toBe(before);
}

test('a relay call: English ↔ Spanish ↔ Mam, each listener on their own channel, and a sidebar that stays in English', async () => {
  test.setTimeout(300_000);
  const attorney = await participantPage(TONE.attorney);
  const lucia = await participantPage(TONE.lucia);
  const ixchel = await participantPage(TONE.ixchel);
  const client = await participantPage(TONE.client);

  await client.goto('/kiosk');
  await client.getByLabel('Device credential').fill('kiosk-demo-adams');
  await client.getByRole('button', { name: 'Set up tablet' }).click();
  await client.getByRole('button', { name: /Qyol Mam/ }).click();
  await joinListedKioskCall(client, DEMO_A_NUMBER_DIGITS.adams);
  await joinCall(attorney, 'attorney@parley.demo');
  await joinCall(lucia, 'interpreter@parley.demo');
  await joinCall(ixchel, 'mayan@parley.demo');
  await expect(client.locator('.call-lobby')).toHaveCount(0);
  // Consecutive to start with: everyone hears everyone.
  await expectToHear(client, ids.attorney, TONE.attorney, 'the client hears the attorney');
  await expectToHear(attorney, ids.client, TONE.client, 'the attorney hears the client');

  // The attorney speaks. Lucía: simultaneous, from the room into Spanish. Ixchel: relay from Lucía
  // into Mam.
  await lucia.getByRole('radio', { name: 'Simultaneous' }).click();
  await lucia.getByRole('radio', { name: /Spanish/ }).click();
  await ixchel.getByRole('radio', { name: 'Relay from Lucía Ramírez' }).click();
  await ixchel.getByRole('radio', { name: /→ Mam/ }).click();
  await expect.poll(() => gain(client, ids.ixchel)).toEqual({ sent: true, gain: 1 });
  await expect.poll(() => gain(client, ids.attorney)).toEqual({ sent: true, gain: 0.2 });
  await expect.poll(() => gain(client, ids.lucia)).toEqual({ sent: false, gain: 0 });
  await expect.poll(() => gain(attorney, ids.ixchel)).toEqual({ sent: false, gain: 0 });
  await expectToHear(client, ids.ixchel, TONE.ixchel, 'the client hears Mam from Ixchel');
  await expectToHear(ixchel, ids.lucia, TONE.lucia, 'Ixchel hears her relay source, Lucía');
  await expectNoPacketsFrom(attorney, ids.ixchel, 'the attorney receives no packet of the Mam channel');
  await expectNoPacketsFrom(client, ids.lucia, 'the client receives no packet of the Spanish channel');
  // The client's channel, named in their language, and their own original-voice slider.
  await expect(client.getByText('Qyol Mam')).toBeVisible();
  await expect(client.getByRole('slider')).toBeVisible();

  // The client speaks. Ixchel: from the room into Spanish. Lucía: relay from Ixchel into English.
  await ixchel.getByRole('radio', { name: 'The room (original)' }).click();
  await ixchel.getByRole('radio', { name: /→ Spanish/ }).click();
  await lucia.getByRole('radio', { name: 'Relay from Ixchel Tzul' }).click();
  await lucia.getByRole('radio', { name: /→ English/ }).click();
  await expect.poll(() => gain(attorney, ids.lucia)).toEqual({ sent: true, gain: 1 });
  await expect.poll(() => gain(attorney, ids.client)).toEqual({ sent: true, gain: 0.2 });
  await expectToHear(attorney, ids.lucia, TONE.lucia, 'the attorney hears English from Lucía');
  await expectToHear(lucia, ids.ixchel, TONE.ixchel, 'Lucía hears her relay source, Ixchel');
  await expectNoPacketsFrom(
    attorney,
    ids.ixchel,
    'the attorney still receives nothing of the Mam interpreter',
  );
  await expectNoPacketsFrom(client, ids.lucia, 'the client receives nothing of the English channel');

  // The attorney's original-voice slider is the attorney's alone.
  await attorney.getByRole('slider', { name: 'Volume of the person speaking' }).fill('60');
  await expect.poll(() => gain(attorney, ids.client)).toEqual({ sent: true, gain: 0.6 });
  expect(await gain(client, ids.attorney)).toMatchObject({ sent: true });

  // A sidebar of the attorney with the English-side interpreter: neither Ixchel nor the client
  // receives a packet of either; Lucía and the attorney hear each other.
  await attorney.getByRole('button', { name: 'Sidebar with interpreter' }).click();
  await expect.poll(() => gain(client, ids.attorney)).toEqual({ sent: false, gain: 0 });
  await expect.poll(() => gain(ixchel, ids.lucia)).toEqual({ sent: false, gain: 0 });
  await expectToHear(attorney, ids.lucia, TONE.lucia, 'the attorney hears Lucía in the sidebar');
  await expectToHear(lucia, ids.attorney, TONE.attorney, 'Lucía hears the attorney in the sidebar');
  await expectNoPacketsFrom(client, ids.attorney, 'the client receives nothing of the attorney');
  await expectNoPacketsFrom(client, ids.lucia, 'the client receives nothing of Lucía');
  await expectNoPacketsFrom(ixchel, ids.attorney, 'Ixchel receives nothing of the attorney');
  await expectNoPacketsFrom(ixchel, ids.lucia, 'Ixchel receives nothing of Lucía');
  // Controls: the two outside the sidebar still hear each other.
  await expectToHear(client, ids.ixchel, TONE.ixchel, 'the client still hears Ixchel');
  await attorney.getByRole('button', { name: 'End sidebar' }).click();

  // The interpreters' private notes reach the other interpreter only.
  await lucia
    .getByRole('textbox', { name: 'Note to the other interpreters' })
    .fill('Más despacio, por favor');
  await lucia.getByRole('button', { name: 'Send' }).click();
  await expect(ixchel.getByRole('list', { name: "Interpreters' notes" })).toContainText(
    'Más despacio, por favor',
  );
  await expect(attorney.getByText('Más despacio, por favor')).toHaveCount(0);
  await expect(client.getByText('Más despacio, por favor')).toHaveCount(0);

  // "Please pause": Ixchel asks the client; only the kiosk shows it, large, in the client's language
  // (Mam reads Spanish where its catalog has no words), with one button; Ixchel sees the answer.
  await ixchel.getByRole('button', { name: 'Ask the client to pause' }).click();
  await expect(ixchel.getByText('Asked the client to pause…')).toBeVisible();
  const pause = client.locator('.pause-request');
  await expect(pause).toContainText('Por favor, haga una pausa para que hable el intérprete');
  await expect(attorney.locator('.pause-request')).toHaveCount(0);
  await pause.getByRole('button', { name: 'De acuerdo, hago una pausa' }).click();
  await expect(client.locator('.pause-request')).toHaveCount(0);
  await expect(ixchel.getByText('the client is pausing')).toBeVisible();

  await attorney.getByRole('button', { name: 'End call for everyone' }).click();
  await attorney.getByRole('button', { name: 'End the call' }).click();
});

test('booth partners: a handover switches what the client receives in one plan, never both or neither', async () => {
  test.setTimeout(240_000);
  const attorney = await participantPage(TONE.attorney);
  const lucia = await participantPage(TONE.lucia);
  const ixchel = await participantPage(TONE.ixchel);
  const client = await participantPage(TONE.client);
  const clientId = `client:${boothCallId}`;

  await client.goto('/kiosk');
  await client.getByLabel('Device credential').fill('kiosk-demo-lasalle');
  await client.getByRole('button', { name: 'Set up tablet' }).click();
  await client.getByRole('button', { name: /Español/ }).click();
  await joinListedKioskCall(client, DEMO_A_NUMBER_DIGITS.lasalle);
  await joinCall(attorney, 'probono@parley.demo', boothCallId);
  await joinCall(lucia, 'interpreter@parley.demo', boothCallId);
  await joinCall(ixchel, 'mayan@parley.demo', boothCallId);
  await expect(client.locator('.call-lobby')).toHaveCount(0);

  // Lucía joined first and is live; Ixchel, her partner, rests: she hears Lucía, the client does not hear her.
  await lucia.getByRole('radio', { name: 'Simultaneous' }).click();
  await expect(ixchel.getByText('Lucía Ramírez: Live')).toBeVisible();
  await expect(ixchel.getByText('You: Resting')).toBeVisible();
  await expect.poll(() => gain(client, ids.lucia)).toEqual({ sent: true, gain: 1 });
  await expect.poll(() => gain(client, ids.ixchel)).toEqual({ sent: false, gain: 0 });
  await expectToHear(client, ids.lucia, TONE.lucia, 'the client hears Lucía');
  await expectToHear(ixchel, ids.lucia, TONE.lucia, 'the resting partner hears Lucía');
  await expectNoPacketsFrom(client, ids.ixchel, 'the client receives nothing of the resting partner');
  expect(await gain(client, clientId)).toEqual({ sent: false, gain: 0 });

  // The client's page records what its routing sends it, every few milliseconds, through the handover.
  await client.evaluate(
    ({ a, b }) => {
      const w = window as any;
      w.handoverSamples = [];
      w.handoverTimer = setInterval(() => {
        const tracks = w.parleyCall?.routing()?.tracks ?? [];
        const sent = (id: string) =>
          !!tracks.find((t: any) => t.kind === 'audio' && t.speakerId === id)?.sent;
        w.handoverSamples.push([sent(a), sent(b)]);
      }, 2);
    },
    { a: ids.lucia, b: ids.ixchel },
  );
  await lucia.getByRole('button', { name: 'Hand over to Ixchel Tzul' }).click();
  await expect(
    ixchel.getByRole('alert').filter({ hasText: 'Lucía Ramírez asks you to take over.' }),
  ).toBeVisible();
  await ixchel.getByRole('button', { name: 'Take over', exact: true }).click();
  await expect.poll(() => gain(client, ids.ixchel)).toEqual({ sent: true, gain: 1 });
  const samples = await client.evaluate(() => {
    const w = window as any;
    clearInterval(w.handoverTimer);
    return w.handoverSamples as [boolean, boolean][];
  });
  // Before: Lucía only; after: Ixchel only; no instant with both, or with neither.
  expect(samples.length).toBeGreaterThan(10);
  expect(samples.filter(([a, b]) => a === b)).toEqual([]);
  expect(samples[0]).toEqual([true, false]);
  expect(samples.at(-1)).toEqual([false, true]);
  await expectToHear(client, ids.ixchel, TONE.ixchel, 'the client hears Ixchel after the handover');
  await expectNoPacketsFrom(client, ids.lucia, 'the client receives nothing of Lucía, now resting');
  await expect(lucia.getByText('You: Resting')).toBeVisible();

  await attorney.getByRole('button', { name: 'End call for everyone' }).click();
  await attorney.getByRole('button', { name: 'End the call' }).click();
});
