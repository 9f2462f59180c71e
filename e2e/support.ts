import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'parley-demo-2026';

export const DEMO_USERS = {
  admin: 'admin@parley.demo',
  staff: 'staff@parley.demo',
  attorney: 'attorney@parley.demo',
  interpreter: 'interpreter@parley.demo',
} as const;

/** Signs in through the real sign-in form. */
export async function signInAs(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
