import { expect, test } from '@playwright/test';
import { DEMO_USERS, signInAs } from './support.ts';

test('staff sign in, see clients from the demo data, page through them and sign out', async ({ page }) => {
  await signInAs(page, DEMO_USERS.staff);
  await expect(page).toHaveURL(/\/staff$/);
  const clients = page.getByRole('table', { name: 'Clients' });
  await expect(clients.getByRole('row')).toHaveCount(11); // header + a page of 10
  await expect(page.getByText('1–10 of 12')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('11–12 of 12')).toBeVisible();
  await page.getByLabel('Search clients').fill('Joseph');
  await expect(clients.getByRole('cell', { name: 'Joseph, Wilner' })).toBeVisible();
  await expect(page.getByText('LaSalle ICE Processing Center').first()).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('an admin lands on the admin home and can still reach the staff screens', async ({ page }) => {
  await signInAs(page, DEMO_USERS.admin);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText('Administrator')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff$/);
});

test('an attorney sees their assigned cases and cannot open staff pages', async ({ page }) => {
  await signInAs(page, DEMO_USERS.attorney);
  await expect(page).toHaveURL(/\/attorney$/);
  await expect(page.getByRole('heading', { name: 'Your open cases' })).toBeVisible();
  await expect(page.locator('.cards').getByText(/GS-2026-0101/)).toBeVisible();
  // Their calls are listed on the home page (the call spec may already have ended the demo call).
  await expect(page.getByRole('heading', { name: 'Your calls' })).toBeVisible();
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/attorney$/);
});

test('an interpreter sees their languages in their own script', async ({ page }) => {
  await signInAs(page, DEMO_USERS.interpreter);
  await expect(page).toHaveURL(/\/interpreter$/);
  await expect(page.getByRole('list', { name: 'Your languages' })).toContainText('Español');
});

test('a wrong password is refused with a plain explanation', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(DEMO_USERS.staff);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/do not match/);
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a facility tablet is set up once, then starts every visit with a grid of languages', async ({
  page,
}) => {
  await page.goto('/kiosk');
  await page.getByLabel('Device credential').fill('kiosk-demo-nowhere');
  await page.getByRole('button', { name: 'Set up tablet' }).click();
  await expect(page.getByRole('alert')).toHaveText(/not valid/);
  // LaSalle: the call spec ends the Adams demo call, this one stays open.
  await page.getByLabel('Device credential').fill('kiosk-demo-lasalle');
  await page.getByRole('button', { name: 'Set up tablet' }).click();
  const grid = page.getByRole('list', { name: 'Languages' });
  await expect(grid.getByRole('button')).toHaveCount(20);
  await grid.getByRole('button', { name: /Kreyòl ayisyen/ }).click();
  await expect(page.locator('.kiosk[lang="ht"]')).toBeVisible();
  // Time only: no names, not even initials (an organisation setting), in a shared visiting room.
  await expect(page.locator('.kiosk-call').first()).toBeVisible();
  await expect(page.getByText(/Wilner|Joseph|W\. J\./)).toHaveCount(0);
  // A wrong code is explained in the chosen language.
  for (const digit of '000000') await page.getByRole('button', { name: digit, exact: true }).click();
  await page.locator('.pin-ok').click();
  await expect(page.getByRole('alert')).toBeVisible();
  // A reload keeps the device set up and the visitor's language.
  await page.reload();
  await expect(page.locator('.kiosk[lang="ht"]')).toBeVisible();
  await expect(page.getByLabel('Device credential')).toHaveCount(0);
  // "Back" returns to the languages for the next person.
  await page.getByRole('button', { name: 'Retounen' }).click();
  await expect(page.getByRole('list', { name: 'Languages' })).toBeVisible();
});
