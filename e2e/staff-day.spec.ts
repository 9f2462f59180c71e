/**
 * The staff's working day (issue 16): book from an empty calendar slot, the facility's contact gets
 * the email (a real SMTP server) and confirms through the link, the call turns confirmed on the
 * calendar and joinable from the kiosk; a reschedule asks the facility again; a cancellation's
 * reason is shown on the consultation page and in its timeline. axe runs over the new pages.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { e2eSmtpPort, linkIn, SmtpInbox } from './smtpInbox.ts';
import { DEMO_PASSWORD, DEMO_USERS, signInAs } from './support.ts';

const CONTACT = 'scheduling@adams.e2e.test';
const ADAMS = 'Adams County Correctional Center';
const inbox = new SmtpInbox();

test.beforeAll(async () => {
  await inbox.start(e2eSmtpPort());
});
test.afterAll(async () => {
  await inbox.close();
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

/** The mails to the facility's contact about one call, by the link they carry. */
function requestsFor(consultationId: string) {
  return inbox.messages.filter(
    (m) => m.to.includes(CONTACT) && m.text.includes(`/facility-confirmation/${consultationId}#`),
  );
}

/** The schedule's calendar at Adams, two weeks ahead (past the lead time and the demo's calls). */
async function calendarTwoWeeksAhead(page: Page) {
  await page.getByRole('link', { name: 'Schedule' }).click();
  const calendar = page.getByRole('region', { name: 'Calendar' });
  await calendar.getByLabel('Facility').selectOption({ label: ADAMS });
  await calendar.getByRole('button', { name: 'Week', exact: true }).click();
  await calendar.getByRole('button', { name: 'Next week' }).click();
  await calendar.getByRole('button', { name: 'Next week' }).click();
  return calendar;
}

test('book from an empty slot, the facility confirms by email, reschedule asks again, cancel with a reason', async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(360_000);
  // The administrator names Adams' scheduling contact (confirmation is on by default).
  const admin = await tokenOf(request, DEMO_USERS.admin);
  const facilities = (await (
    await request.get('/api/facilities', { headers: { Authorization: `Bearer ${admin}` } })
  ).json()) as { items: { id: string; name: string }[] };
  const adamsId = facilities.items.find((f) => f.name === ADAMS)!.id;
  const contact = await request.put(`/api/facilities/${adamsId}/contact`, {
    headers: { Authorization: `Bearer ${admin}` },
    data: { contactName: 'Sgt. Reyes', contactEmail: CONTACT, contactPhone: '' },
  });
  expect(contact.status()).toBe(200);

  await signInAs(page, DEMO_USERS.staff);
  let calendar = await calendarTwoWeeksAhead(page);
  await expectNoSeriousViolations(page, 'week calendar');

  // An empty visiting-window slot, by keyboard-reachable button with its screen-reader label.
  const slot = calendar.getByRole('button', { name: /^Book .+ 09:00, booth 1$/ }).first();
  const slotLabel = (await slot.getAttribute('aria-label')) ?? '';
  const day = slotLabel.replace(/^Book /, '').replace(/ 09:00, booth 1$/, '');
  await slot.click();
  const form = page.getByRole('region', { name: 'Book a consultation' });
  await expect(form.getByRole('note', { name: 'Chosen slot' })).toContainText('09:00');
  const picker = form.getByRole('combobox', { name: 'Case' });
  await picker.fill('Singh');
  await form.getByRole('option', { name: /^GS-2026-0106 — Singh, Gurpreet/ }).click();
  await form.getByRole('button', { name: 'Book at 09:00' }).click();
  await expect(form.getByRole('status')).toContainText('Booked');

  // On the calendar, awaiting the facility.
  const call = calendar.getByRole('link', {
    name: new RegExp(`^${day} 09:00.*Gurpreet Singh.*awaiting facility$`),
  });
  await expect(call).toBeVisible();
  await call.click();
  await expect(page).toHaveURL(/\/consultations\/[0-9a-f-]+$/);
  const consultationId = page.url().split('/').pop()!;
  await expect(page.getByTestId('consultation-status')).toHaveText('Awaiting the facility’s confirmation');
  await expect(page.getByTestId('confirmation-state')).toContainText(`asked ${CONTACT}`);
  await expectNoSeriousViolations(page, 'consultation page');

  // Not on the kiosk yet: the kiosk's join is refused until the facility confirms.
  const kiosk = await request.post('/api/kiosk/session', { data: { credential: 'kiosk-demo-adams' } });
  const kioskToken = ((await kiosk.json()) as { token: string }).token;
  const tryJoin = async () => {
    const res = await request.post('/api/kiosk/join', {
      headers: { Authorization: `Bearer ${kioskToken}` },
      data: { consultationId, aNumberDigits: '049' },
    });
    return ((await res.json()) as { error: { code: string } }).error.code;
  };
  expect(await tryJoin()).toBe('CALL_NOT_CONFIRMED');

  // The facility's contact gets the mail and confirms through its link, without an account.
  await expect.poll(() => requestsFor(consultationId).length, { timeout: 20_000 }).toBe(1);
  const link = linkIn(requestsFor(consultationId)[0]!.text);
  // The contact's own browser: no session of Parley's.
  const facilityContext = await browser.newContext();
  const facilityPage = await facilityContext.newPage();
  await facilityPage.goto(link);
  await expect(facilityPage.getByText('Gurpreet Singh, A-Number 216772049')).toBeVisible();
  await expectNoSeriousViolations(facilityPage, 'facility confirmation page');
  await facilityPage.getByRole('button', { name: 'Confirm the visit' }).click();
  await expect(facilityPage.getByTestId('answer-state')).toHaveText('You confirmed this visit. Thank you.');

  // Staff see it confirmed, on the page and on the calendar; the kiosk now only waits for the time.
  await page.reload();
  await expect(page.getByTestId('consultation-status')).toHaveText('Confirmed', { timeout: 20_000 });
  await expect(page.getByTestId('confirmation-state')).toContainText('Confirmed by the facility');
  expect(await tryJoin()).toBe('CALL_NOT_OPEN');
  calendar = await calendarTwoWeeksAhead(page);
  await expect(
    calendar.getByRole('link', { name: new RegExp(`^${day} 09:00.*Gurpreet Singh.*confirmed$`) }),
  ).toBeVisible();
  await calendar.getByRole('link', { name: new RegExp(`^${day} 09:00.*Gurpreet Singh`) }).click();

  // Reschedule from the consultation page: the facility is asked again.
  const reschedule = page.getByRole('region', { name: 'Reschedule' });
  await reschedule.getByLabel(/Specific time/).fill('10:00');
  await reschedule.getByRole('button', { name: 'Move the call' }).click();
  await expect(page.getByTestId('consultation-status')).toHaveText('Awaiting the facility’s confirmation');
  await expect(page.getByTestId('confirmation-state')).toContainText('Asked; no answer yet');
  await expect.poll(() => requestsFor(consultationId).length, { timeout: 20_000 }).toBe(2);
  // The first link no longer answers for the moved call.
  await facilityPage.goto('about:blank');
  await facilityPage.goto(link);
  await expect(facilityPage.getByRole('alert')).toContainText('replaced', { timeout: 20_000 });

  // Cancel with a reason: stored, shown on the page and in the timeline.
  const cancel = page.getByRole('region', { name: 'Cancel the call' });
  await cancel.getByLabel(/Reason/).fill('Client transferred to River Correctional');
  await cancel.getByRole('button', { name: 'Cancel the call' }).click();
  await expect(page.getByTestId('consultation-status')).toHaveText('Cancelled');
  await expect(page.getByTestId('cancel-reason')).toHaveText('Client transferred to River Correctional');
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await expect(timeline).toContainText('The facility confirmed');
  await expect(timeline).toContainText('Rescheduled');
  await expect(timeline).toContainText('Cancelled');
  await page.reload();
  await expect(page.getByTestId('cancel-reason')).toHaveText('Client transferred to River Correctional');
  await facilityContext.close();
});
