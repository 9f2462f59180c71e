import { expect, type Page } from '@playwright/test';

/** The demo clients' A-Numbers end in these digits (server/src/db/demoData.ts). */
export const DEMO_A_NUMBER_DIGITS = { adams: '572', lasalle: '981' } as const;

/**
 * On the kiosk's list of calls, taps the first call and proves it is the client's with the last
 * three digits of their A-Number, as a person in the booth does.
 */
export async function joinListedKioskCall(page: Page, digits: string): Promise<void> {
  await page.locator('.kiosk-call').first().click();
  await expect(page.locator('.kiosk-digits')).toBeVisible();
  await typeOnKioskPad(page, digits);
  await page.locator('.kiosk-digits .pin-ok').click();
}

/** Taps the digits on the kiosk's on-screen pad. */
export async function typeOnKioskPad(page: Page, digits: string): Promise<void> {
  for (const digit of digits) {
    await page.locator('.pin-pad').first().getByRole('button', { name: digit, exact: true }).click();
  }
}
