import { expect, test } from '@playwright/test';
import { DEMO_USERS, signInAs } from './support.ts';

test('staff book from a suggested slot, then see a conflicting booking refused in plain words', async ({
  page,
}) => {
  await signInAs(page, DEMO_USERS.staff);
  await page.getByRole('link', { name: 'Schedule' }).click();
  await expect(page).toHaveURL(/\/staff\/schedule$/);

  const form = page.getByRole('region', { name: 'Book a consultation' });
  // The demo calendar already holds calls for the first ten cases; the twelfth has none.
  const picker = form.getByRole('combobox', { name: 'Case' });
  await picker.fill('0112');
  await form.getByRole('option', { name: /^GS-2026-0112 — Silva Costa, Anderson/ }).click();
  await expect(picker).toHaveValue('GS-2026-0112 — Silva Costa, Anderson');
  await expect(form.getByLabel('Attorney')).toHaveValue(/.+/);
  await form.getByRole('button', { name: 'Find open slots' }).click();

  const slots = form.getByRole('list', { name: 'Open slots' });
  const firstSlot = slots.getByRole('listitem').first();
  await expect(firstSlot).toBeVisible();
  const slotLabel = (await firstSlot.getAttribute('aria-label'))?.replace('Slot ', '') ?? '';
  const startTime = slotLabel.split('–')[0] ?? '';
  expect(startTime).toMatch(/^\d\d:\d\d$/);
  await expect(firstSlot.getByRole('combobox')).toContainText('Lucía Ramírez');
  await firstSlot.getByRole('button', { name: /^Book / }).click();

  const booked = form.getByRole('status');
  await expect(booked).toContainText(`at ${startTime}`);
  await expect(booked).toContainText(/Kiosk PIN \d{6}/);

  // The booked call shows in the upcoming list and in a booth lane of the facility calendar.
  await expect(page.getByRole('table', { name: 'Upcoming consultations' })).toContainText('GS-2026-0112');

  // The same time again for the same case: the attorney, the client and the day are taken.
  await form.getByLabel(/Specific time/).fill(startTime);
  await form.getByRole('button', { name: 'Book this time' }).click();
  const refusal = form.getByRole('alert');
  await expect(refusal).toContainText('This booking was refused');
  await expect(refusal).toContainText('The attorney already has a call at that time.');
  await expect(refusal).toContainText('The client already has a call at that time.');
});

test('an interpreter sees their schedule and edits their weekly hours', async ({ page }) => {
  await signInAs(page, DEMO_USERS.interpreter);
  await page.getByRole('link', { name: 'Availability' }).click();
  const weekly = page.getByRole('table', { name: 'Weekly availability' });
  await expect(weekly.getByRole('row')).toHaveCount(6); // header + Monday..Friday
  await page.getByRole('button', { name: 'Add hours' }).click();
  await weekly.getByLabel('Weekday').last().selectOption('Saturday');
  await page.getByRole('button', { name: 'Save weekly hours' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(weekly.getByRole('row')).toHaveCount(7);
  await page.getByRole('link', { name: 'My schedule' }).click();
  await expect(page.getByRole('heading', { name: 'My consultations' })).toBeVisible();
});
