import { expect, test } from '@playwright/test';
import { DEMO_USERS, signInAs } from './support.ts';

/** A Tuesday three weeks ahead (YYYY-MM-DD): clear of the demo calendar's calls. */
function tuesdayAhead(): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 21 + ((2 - day.getUTCDay() + 7) % 7));
  return day.toISOString().slice(0, 10);
}

test('staff book a Mam call through a Spanish relay, see both interpreters with their roles, take the relay off and put her back; she finds it in her schedule', async ({
  page,
}) => {
  await signInAs(page, DEMO_USERS.staff);
  await page.getByRole('link', { name: 'Schedule' }).click();
  const form = page.getByRole('region', { name: 'Book a consultation' });
  const picker = form.getByRole('combobox', { name: 'Case' });
  // Rosa Ramírez Pérez speaks Mam: Ixchel interprets Mam ↔ Spanish, Lucía Spanish ↔ English.
  await picker.fill('0104');
  await form.getByRole('option', { name: /^GS-2026-0104/ }).click();
  await form.getByLabel('Day').fill(tuesdayAhead());
  await form.getByRole('checkbox', { name: /Through a relay/ }).check();
  await expect(form.getByRole('combobox', { name: 'Pivot language' })).toHaveValue('es');
  await form.getByRole('button', { name: 'Find open slots' }).click();

  const firstSlot = form.getByRole('list', { name: 'Open slots' }).getByRole('listitem').first();
  await expect(firstSlot).toBeVisible();
  const pairs = firstSlot.getByRole('combobox', { name: /^Interpreters for / });
  await expect(pairs).toContainText('Ixchel Tzul + Lucía Ramírez (relay)');
  const booking = page.waitForResponse(
    (r) => r.url().endsWith('/api/consultations') && r.request().method() === 'POST',
  );
  await firstSlot.getByRole('button', { name: /^Book / }).click();
  const answer = await booking;
  expect(answer.status()).toBe(201);
  const { consultation } = (await answer.json()) as { consultation: { id: string } };
  await expect(form.getByRole('status')).toContainText('with Ixchel Tzul and Lucía Ramírez as relay');

  // The consultation page: every interpreter with their role; staff take the relay off, then add her back.
  await page.goto(`/consultations/${consultation.id}`);
  const panel = page.getByRole('region', { name: 'Interpreters' });
  const roles = panel.getByRole('list', { name: 'Interpreters' });
  await expect(roles.getByRole('listitem')).toHaveCount(2);
  await expect(roles.getByRole('listitem').nth(0)).toContainText('Ixchel Tzul · Interpreter');
  await expect(roles.getByRole('listitem').nth(1)).toContainText(
    'Lucía Ramírez · Relay (through a pivot language)',
  );
  await panel.getByRole('button', { name: 'Remove Lucía Ramírez' }).click();
  await expect(roles.getByRole('listitem')).toHaveCount(1);

  const add = panel.getByRole('form', { name: 'Add an interpreter' });
  await add.getByLabel(/^Role/).selectOption('RELAY');
  await add.getByLabel(/^Pivot language/).selectOption('es');
  await add.getByLabel(/^Interpreter(?!s)/).selectOption({ label: 'Lucía Ramírez' });
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(roles.getByRole('listitem')).toHaveCount(2);
  await expect(roles.getByRole('listitem').nth(1)).toContainText('Lucía Ramírez · Relay');
  // The session log tells both changes.
  await page.reload();
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await expect(timeline).toContainText('removed as relay interpreter', { timeout: 15_000 });
  await expect(timeline).toContainText('added as relay interpreter (English ↔ Spanish)');

  // Lucía's own schedule lists the call, with her role.
  await page.getByRole('button', { name: /Sign out/ }).click();
  await signInAs(page, DEMO_USERS.interpreter);
  await page.getByRole('link', { name: 'My schedule' }).click();
  await page
    .getByRole('combobox', { name: 'Facility filter' })
    .selectOption({ label: 'Jackson Parish Correctional Center' });
  const mine = page.getByRole('table', { name: 'My consultations' });
  const row = mine.getByRole('row', { name: /GS-2026-0104/ });
  await expect(row).toContainText('Ixchel Tzul, Lucía Ramírez (Relay (through a pivot language))');
});
