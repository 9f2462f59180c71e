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

test('an admin lands on the staff home', async ({ page }) => {
  await signInAs(page, DEMO_USERS.admin);
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByText('Administrator')).toBeVisible();
});

test('an attorney sees their assigned cases and cannot open staff pages', async ({ page }) => {
  await signInAs(page, DEMO_USERS.attorney);
  await expect(page).toHaveURL(/\/attorney$/);
  await expect(page.getByRole('heading', { name: 'Your open cases' })).toBeVisible();
  await expect(page.getByText(/GS-2026-0101/)).toBeVisible();
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

test('the kiosk starts with a grid of languages in their own scripts', async ({ page }) => {
  await page.goto('/kiosk');
  const grid = page.getByRole('list', { name: 'Languages' });
  await expect(grid.getByRole('button')).toHaveCount(20);
  await grid.getByRole('button', { name: /Kreyòl ayisyen/ }).click();
  await expect(page.locator('.kiosk[lang="ht"]')).toBeVisible();
});
