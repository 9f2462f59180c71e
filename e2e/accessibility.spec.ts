/**
 * axe-core over every staff page: home, the schedule with its booking form, and a case page. A
 * serious or critical violation fails the test, with each rule and the elements it found.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_USERS, signInAs } from './support.ts';

async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(serious, `${label}: serious or critical axe violations`).toEqual([]);
}

test('staff pages have no serious or critical axe violation', async ({ page }) => {
  await signInAs(page, DEMO_USERS.staff);
  await expect(page).toHaveURL(/\/staff$/);
  const caseLink = page.getByRole('table', { name: 'Cases' }).getByRole('link').first();
  await expect(caseLink).toBeVisible();
  await expect(page.getByRole('table', { name: 'Clients' }).getByRole('row').nth(1)).toBeVisible();
  await expectNoSeriousViolations(page, 'staff home');

  await caseLink.click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoSeriousViolations(page, 'case page');

  await page.getByRole('link', { name: 'Schedule' }).click();
  await expect(page).toHaveURL(/\/staff\/schedule$/);
  await expect(page.getByRole('region', { name: 'Book a consultation' })).toBeVisible();
  await expectNoSeriousViolations(page, 'schedule and booking form');
});

test('the booking form’s case picker searches the server, pages with no cap and works by keyboard', async ({
  page,
}) => {
  await signInAs(page, DEMO_USERS.staff);
  await page.getByRole('link', { name: 'Schedule' }).click();
  const form = page.getByRole('region', { name: 'Book a consultation' });
  const picker = form.getByRole('combobox', { name: 'Case' });
  const list = form.getByRole('listbox', { name: 'Case results' });
  await picker.focus();
  await expect(picker).toHaveAttribute('aria-expanded', 'true');
  await expect(list.getByRole('option', { name: /^GS-2026-/ })).toHaveCount(10);
  const more = list.getByRole('option', { name: /^Show more \(10 of \d+\)$/ });
  await expect(more).toBeVisible();
  await expectNoSeriousViolations(page, 'booking form with the case list open');

  // The last option loads the next ten; the keyboard reaches it through aria-activedescendant.
  await picker.press('ArrowUp');
  await expect(picker).toHaveAttribute('aria-activedescendant', (await more.getAttribute('id')) ?? 'missing');
  await picker.press('Enter');
  await expect(list.getByRole('option', { name: /^GS-2026-/ })).not.toHaveCount(10);
  expect(await list.getByRole('option', { name: /^GS-2026-/ }).count()).toBeGreaterThan(10);

  // A client's name narrows it; arrow down and Enter pick the case and fill in its attorney.
  await picker.fill('Silva');
  await expect(list.getByRole('option', { name: /^GS-2026-0112 — Silva Costa, Anderson/ })).toBeVisible();
  await picker.press('ArrowDown');
  await picker.press('Enter');
  await expect(picker).toHaveValue(/^GS-2026-\d{4} — Silva/);
  await expect(picker).toHaveAttribute('aria-expanded', 'false');
  await expect(form.getByLabel('Attorney')).toHaveValue(/.+/);
});
