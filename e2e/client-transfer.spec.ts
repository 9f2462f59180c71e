/**
 * The staff's working day, continued (issue 16): a client moved to another facility. Staff record
 * the move from the consultation page (the call is cancelled with the reason), book the call again
 * at the new facility from the suggested slots, and see the move on the case page, whose actions
 * copy the case note, send it to the case system now (a receiver started here) and download the
 * case's consultations as a CSV that parses. axe runs over both pages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_USERS, signInAs } from './support.ts';

const RIVER = 'River Correctional Center';
const JACKSON = 'Jackson Parish Correctional Center';
/** Mamadou Diop, held at River, Wolof: a demo client no other spec books or moves. */
const CASE_REFERENCE = 'GS-2026-0110';

const received: string[] = [];
let receiver: Server;

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
test.afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

async function tokenOf(request: APIRequestContext, email: string): Promise<string> {
  const res = await request.post('/api/auth/login', { data: { email, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(serious, `${label}: serious or critical axe violations`).toEqual([]);
}

/** Books the case's next open slot at its client's facility, two weeks or more ahead (through the API). */
async function bookAhead(request: APIRequestContext, token: string) {
  const headers = { Authorization: `Bearer ${token}` };
  const cases = (await (await request.get(`/api/cases?q=${CASE_REFERENCE}`, { headers })).json()) as {
    items: {
      id: string;
      reference: string;
      attorneys: { id: string }[];
      client: { preferredLanguage: string };
    }[];
  };
  const theCase = cases.items.find((c) => c.reference === CASE_REFERENCE)!;
  for (let days = 14; days < 40; days++) {
    const date = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const query = new URLSearchParams({ caseId: theCase.id, attorneyId: theCase.attorneys[0]!.id, date });
    const suggestions = (await (
      await request.get(`/api/scheduling/suggestions?${query}`, { headers })
    ).json()) as {
      slots: { startsAt: string; interpreters: { id: string }[] }[];
    };
    const slot = suggestions.slots[0];
    if (!slot) continue;
    const booked = await request.post('/api/consultations', {
      headers,
      data: {
        caseId: theCase.id,
        attorneyId: theCase.attorneys[0]!.id,
        interpreterId: slot.interpreters[0]?.id ?? null,
        language: theCase.client.preferredLanguage,
        startsAt: slot.startsAt,
        durationMinutes: 60,
      },
    });
    expect(booked.status()).toBe(201);
    return {
      caseId: theCase.id,
      consultationId: ((await booked.json()) as { consultation: { id: string } }).consultation.id,
    };
  }
  throw new Error('no open slot for the case in the coming weeks');
}

test('the client moved: recorded from the call, rebooked at the new facility, shown on the case with its actions', async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(240_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const staffToken = await tokenOf(request, DEMO_USERS.staff);
  const adminToken = await tokenOf(request, DEMO_USERS.admin);
  const { caseId, consultationId } = await bookAhead(request, staffToken);
  // The organisation's case system: a receiver started by this test.
  const webhook = await request.put('/api/webhooks', {
    headers: { Authorization: `Bearer ${adminToken}` },
    data: {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notes`,
      secret: 'client-transfer-e2e-secret-0123',
    },
  });
  expect(webhook.status()).toBe(200);

  await signInAs(page, DEMO_USERS.staff);
  await page.goto(`/consultations/${consultationId}`);
  await expect(page.getByRole('definition').filter({ hasText: RIVER })).toBeVisible();
  const transfer = page.getByRole('region', { name: 'The client was moved to another facility' });
  await expectNoSeriousViolations(page, 'consultation page with the transfer action');

  // Record the move: the call is cancelled with the reason, and the page offers to book it again.
  await transfer.getByLabel('New facility').selectOption({ label: `${JACKSON} (JACKSON)` });
  await transfer.getByRole('button', { name: 'Record the move' }).click();
  await expect(transfer.getByTestId('transfer-done')).toContainText(`now at ${JACKSON}`);
  await expect(page.getByTestId('consultation-status')).toHaveText('Cancelled');
  await expect(page.getByTestId('cancel-reason')).toHaveText(`The client was moved to ${JACKSON}`);
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText(
    'The client was moved to another facility',
  );
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText('Cancelled (client transferred)');

  // Rebook at the new facility from its suggested slots (the same rules as any booking).
  const slots = transfer.getByRole('list', { name: 'Suggested times at the new facility' });
  const day = transfer.getByLabel('Day');
  for (let tries = 0; tries < 10 && (await slots.getByRole('button').count()) === 0; tries++) {
    const next = new Date(Date.parse(`${await day.inputValue()}T12:00:00Z`) + 86_400_000);
    await day.fill(next.toISOString().slice(0, 10));
    await page.waitForTimeout(500);
  }
  await expect(slots.getByRole('button').first()).toBeVisible();
  await expectNoSeriousViolations(page, 'consultation page offering to rebook');
  await slots.getByRole('button').first().click();
  await expect(transfer.getByTestId('rebooked')).toContainText(`Booked at ${JACKSON}`);
  await transfer.getByRole('link', { name: 'Open the new call' }).click();
  await expect(page).toHaveURL(/\/consultations\/[0-9a-f-]+$/);
  expect(page.url()).not.toContain(consultationId);
  await expect(page.getByRole('definition').filter({ hasText: JACKSON })).toBeVisible();

  // The case page: the move, the case's timeline, and the consultation's case note.
  await page.goto(`/cases/${caseId}`);
  const transfers = page.getByRole('region', { name: 'Transfers between facilities' });
  await expect(transfers).toContainText(`Moved from ${RIVER} to ${JACKSON}, recorded by Marcus Boudreaux`);
  await expect(page.getByRole('list', { name: 'Case timeline' })).toContainText(
    `The client was moved from ${RIVER} to ${JACKSON}`,
  );
  await expectNoSeriousViolations(page, 'case page');
  const cancelled = page.getByRole('region', { name: /^Consultation .* · Cancelled$/ }).first();
  const note = cancelled.getByRole('group', { name: 'Case note' });
  await note.getByRole('button', { name: 'Copy the case note' }).click();
  await expect(note.getByRole('status')).toHaveText('Case note copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`Case: ${CASE_REFERENCE}`);

  // Send it to the case system now: the receiver gets the signed note.
  await note.getByRole('button', { name: 'Send to the case system now' }).click();
  await expect(note.getByRole('status')).toContainText('Sent to the case system');
  // Only this consultation's notes count: a delivery queued earlier in the run (another spec's call
  // whose receiver has gone, still retrying) goes to the organisation's current URL, which is now ours.
  const ours = () =>
    received.filter(
      (body) => (JSON.parse(body) as { consultation?: { id?: string } }).consultation?.id === consultationId,
    );
  await expect.poll(() => ours().length, { timeout: 20_000 }).toBe(1);
  expect(JSON.parse(ours()[0]!)).toMatchObject({
    event: 'consultation.case_note',
    case: { reference: CASE_REFERENCE },
    consultation: { id: consultationId },
  });
  await note.getByRole('button', { name: 'Send to the case system now' }).click();
  await expect(note.getByRole('status')).toHaveText('The case system already has this note.');

  // Export: a CSV of the case's calls that parses, both calls in it.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`consultations-${CASE_REFERENCE}.csv`);
  const csv = await readFile(await download.path(), 'utf8');
  const rows = csv
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
  expect(rows[0]!.slice(0, 3)).toEqual(['consultationId', 'caseReference', 'facility']);
  expect(rows.slice(1).every((r) => r.length === rows[0]!.length && r[1] === CASE_REFERENCE)).toBe(true);
  expect(rows.slice(1).map((r) => r[0])).toContain(consultationId);
  expect(rows.slice(1).map((r) => r[2])).toEqual(expect.arrayContaining([RIVER, JACKSON]));

  // The case-system connection goes as it came: later specs do not post to this test's receiver.
  const removed = await request.delete('/api/webhooks', {
    headers: { Authorization: `Bearer ${adminToken}` },
  });
  expect(removed.ok()).toBe(true);
});
