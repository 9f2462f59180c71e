/**
 * After a call, staff open the case and see the call's timeline and summary.
 *
 * The three-browser version (a real call between an attorney, an interpreter and the kiosk, then
 * the case page) waits for the live call. Until then this spec runs its own Parley server
 * in-process, over a fresh database, and writes the call's events through the real
 * SessionLogWriter, the same path the call's signalling uses; the browser then reads the case page
 * exactly as staff would.
 */
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadConfig } from '../server/src/config.ts';
import { seedDemoData } from '../server/src/db/seed.ts';
import { createLogger } from '../server/src/logger.ts';
import { startServer, type RunningServer } from '../server/src/server.ts';
import { sessionLogFor } from '../server/src/sessionLog/sessionLogFor.ts';
import { callEvents, seedConsultation } from '../server/src/sessionLog/sessionLogFixtures.ts';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/testDatabase.ts';
import { ownServerAddress } from './chromiumNetns.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './support.ts';

let database: TestDatabase;
let server: RunningServer;
let caseId: string;

test.beforeAll(async () => {
  database = await createTestDatabase();
  const logger = createLogger('silent');
  await seedDemoData(database.prisma, logger);
  const config = {
    ...loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'e2e-case-record-secret-e2e-case-record' }),
    ...(await ownServerAddress()),
    seedDemoData: false,
    clientDistDir: resolve(import.meta.dirname, '../client/dist'),
    loginRateLimit: { windowMs: 60_000, max: 1000 },
  };
  server = await startServer({ db: database.prisma, config, logger });

  const consultation = await seedConsultation(database.prisma, {
    caseReference: 'GS-2026-0101',
    interpreterEmail: DEMO_USERS.interpreter,
    startsAt: new Date('2026-03-10T15:00:00Z'),
  });
  caseId = consultation.caseId;
  const log = sessionLogFor({ db: database.prisma, logger });
  for (const event of callEvents(consultation)) log.writer.record(event);
  await log.writer.flush();
});

/** Signs in through the form of this spec's own server (support.ts's helper uses the shared one). */
async function signInAs(page: Page, email: string): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

test.afterAll(async () => {
  await server?.close();
  await database?.close();
});

test('staff open a case from their home page and see the call’s timeline and summary', async ({ page }) => {
  await signInAs(page, DEMO_USERS.staff);
  await page.getByRole('table', { name: 'Cases' }).getByRole('link', { name: 'GS-2026-0101' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('María José Hernández López');
  await expect(page.getByText('A-208-114-572')).toBeVisible();

  const call = page.getByRole('region', { name: /^Consultation / });
  await expect(call).toHaveCount(1);
  await expect(call.getByRole('heading', { level: 3 })).toContainText('Mar 10, 2026');
  await expect(call.getByText('Log intact (11 events)')).toBeVisible();

  // The summary: the facility is in Mississippi, so the call started at 10:00 CDT.
  const summary = call.getByLabel('Summary');
  await expect(summary).toContainText('Interpreter minutes39');
  await expect(summary).toContainText('Reconnections1');
  await expect(summary).toContainText('10:00 AM CDT');
  await expect(summary).toContainText('up to 8% loss');
  const connected = summary.getByRole('table', { name: 'Time connected' });
  await expect(connected.getByRole('row', { name: /Lucía Ramírez/ })).toContainText('39 min');

  // The timeline, in order, in plain words.
  const timeline = call.getByRole('list', { name: 'Timeline' }).getByRole('listitem');
  await expect(timeline).toHaveCount(11);
  await expect(timeline.nth(0)).toContainText('Scheduled in Spanish');
  await expect(timeline.nth(4)).toContainText('María José Hernández López (client) joined by kiosk');
  await expect(timeline.nth(5)).toContainText('lost the connection');
  await expect(timeline.nth(6)).toContainText('reconnected after 30 s');
  await expect(timeline.nth(8)).toContainText('Simultaneous interpretation, English → Spanish');
  await expect(timeline.nth(10)).toContainText('Call ended: the attorney ended it');
});

test('an interpreter who interpreted the call sees its summary, not the client or the timeline', async ({
  page,
}) => {
  await signInAs(page, DEMO_USERS.interpreter);
  await page.goto(`${server.url}/cases/${caseId}`);
  await expect(page.getByText('You see the summaries of the consultations you interpreted')).toBeVisible();
  await expect(page.getByLabel('Summary')).toContainText('Interpreter minutes39');
  await expect(page.getByRole('list', { name: 'Timeline' })).toHaveCount(0);
  await expect(page.getByText('Hernández')).toHaveCount(0);
});
