import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { e2eSmtpPort, linkIn, SmtpInbox } from './smtpInbox.ts';
import { DEMO_PASSWORD, DEMO_USERS, signInAs } from './support.ts';
import type englishAdminText from '../client/src/i18n/locales/en/admin.json';

/** The administration screens' English words (the `admin` catalog): codes are shown as these. */
const adminText = JSON.parse(
  readFileSync(new URL('../client/src/i18n/locales/en/admin.json', import.meta.url), 'utf8'),
) as typeof englishAdminText;

/** A case system's webhook endpoint on 127.0.0.1 that keeps what it is sent. */
class Receiver {
  readonly requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = 204;
      res.end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/parley`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A Standard Webhooks receiver's check, written from the specification. */
function standardSignatureValid(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`;
  const expected = `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  return String(headers['webhook-signature']).split(' ').includes(expected);
}

const inbox = new SmtpInbox();
const receiver = new Receiver();
let receiverUrl = '';

test.beforeAll(async () => {
  await inbox.start(e2eSmtpPort());
  receiverUrl = await receiver.start();
});
test.afterAll(async () => {
  await inbox.close();
  await receiver.close();
});

async function waitForMail(to: string) {
  await expect.poll(() => inbox.messages.some((m) => m.to.includes(to)), { timeout: 15_000 }).toBe(true);
  return inbox.messages.find((m) => m.to.includes(to))!;
}

async function openSection(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name }).click();
}

test('an administrator sets up people, a facility, a kiosk and the case-system connection from the screens', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  page.on('dialog', (dialog) => void dialog.accept());
  await signInAs(page, DEMO_USERS.admin);
  await expect(page).toHaveURL(/\/admin$/);

  // People: invite a staff member; the email arrives and its link signs them up.
  await openSection(page, 'People');
  const invite = page.getByRole('region', { name: 'Invite someone' });
  await invite.getByLabel('Email', { exact: true }).fill('noor.staff@parley.test');
  await invite.getByLabel('Name', { exact: true }).fill('Noor Haddad');
  await invite.getByLabel('Role').selectOption('STAFF');
  await invite.getByRole('button', { name: 'Send invite' }).click();
  await expect(invite.getByText(/The invite was emailed/)).toBeVisible();
  const mail = await waitForMail('noor.staff@parley.test');
  expect(mail.subject).toContain('You are invited');
  const signUpLink = linkIn(mail.text);
  await expect(invite.getByLabel('Sign-up link')).toHaveValue(signUpLink);

  const staffContext = await browser.newContext();
  const staffPage = await staffContext.newPage();
  await staffPage.goto(signUpLink);
  await expect(staffPage.getByRole('heading', { name: 'Finish signing up' })).toBeVisible();
  await expect(staffPage.getByLabel('Your name')).toHaveValue('Noor Haddad');
  await staffPage.getByLabel('Choose a password').fill('noor has a long password');
  await staffPage.getByLabel('Type the password again').fill('noor has a long password');
  await staffPage.getByRole('button', { name: 'Create my account' }).click();
  await expect(staffPage).toHaveURL(/\/staff$/);
  await expect(staffPage.getByText('Noor Haddad')).toBeVisible();
  // The link works once.
  const reusePage = await staffContext.newPage();
  await reusePage.goto(signUpLink);
  await expect(reusePage.getByRole('alert')).toContainText('expired or was already used');
  await reusePage.close();

  // Facilities: a new facility in America/Chicago with visiting windows and a blackout date.
  await openSection(page, 'Facilities');
  const form = page.getByRole('region', { name: 'Add a facility' });
  await form.getByLabel('Name', { exact: true }).fill('Prairieland Detention Center');
  await form.getByLabel('Code', { exact: true }).fill('PRAIRIE');
  await form.getByLabel('Time zone').selectOption('America/Chicago');
  await form.getByLabel('Booths').fill('2');
  await form.getByRole('button', { name: 'Add facility' }).click();
  await expect(page.getByRole('heading', { name: /Prairieland Detention Center/ })).toBeVisible();

  const windows = page.getByRole('region', { name: 'Weekly visiting windows' });
  await expect(windows).toContainText('America/Chicago');
  await windows.getByRole('button', { name: 'Add a window' }).click();
  await windows.getByRole('button', { name: 'Add a window' }).click();
  await windows.getByLabel('Day 2').selectOption({ label: 'Wednesday' });
  await windows.getByLabel('From 2').fill('13:00');
  await windows.getByLabel('To 2').fill('17:30');
  await windows.getByRole('button', { name: 'Save windows' }).click();
  await expect(windows.getByRole('status')).toHaveText('Saved.');

  const blackouts = page.getByRole('region', { name: 'Blackout dates' });
  // Pick a day on the calendar (the first of next month, in the facility's time).
  const firstOfNextMonth = blackouts.locator('table.month').nth(1).getByRole('button').first();
  const day = (await firstOfNextMonth.getAttribute('aria-label'))!;
  expect(day).toMatch(/^\d{4}-\d{2}-01$/);
  await firstOfNextMonth.click();
  await expect(blackouts.getByLabel('Date', { exact: true })).toHaveValue(day);
  await blackouts.getByLabel('Reason').fill('Lockdown');
  await blackouts.getByRole('button', { name: 'Add blackout' }).click();
  await expect(blackouts.getByRole('table', { name: 'Blackout dates' })).toContainText('Lockdown');
  await expect(blackouts.getByRole('button', { name: `${day}, blackout: Lockdown` })).toBeVisible();

  const contact = page.getByRole('region', { name: 'Scheduling contact' });
  await contact.getByLabel('Contact name').fill('Lt. R. Moreno');
  await contact.getByLabel('Contact email').fill('visits@prairieland.example');
  await contact.getByLabel('Contact phone').fill('+19725550100');
  await contact.getByRole('button', { name: 'Save contact' }).click();
  await expect(contact.getByRole('status')).toHaveText('Saved.');

  // What was saved is what comes back.
  await page.reload();
  await expect(windows.getByLabel('Day 1')).toHaveValue('1');
  await expect(windows.getByLabel('From 1')).toHaveValue('08:00');
  await expect(windows.getByLabel('Day 2')).toHaveValue('3');
  await expect(windows.getByLabel('To 2')).toHaveValue('17:30');
  await expect(contact.getByLabel('Contact phone')).toHaveValue('+19725550100');

  // A kiosk: the credential is shown once, with its QR code, and signs a kiosk page in.
  const kiosks = page.getByRole('region', { name: 'Kiosk devices' });
  await kiosks.getByLabel('Label').fill('Visiting room tablet 1');
  await kiosks.getByRole('button', { name: 'Register device' }).click();
  const credential = await kiosks.getByLabel('Device credential').inputValue();
  expect(credential).toMatch(/^kiosk-/);
  await expect(kiosks.getByRole('img', { name: 'QR code of the device credential' })).toBeVisible();
  await expect(kiosks.getByRole('table')).toContainText('Never');

  const kioskContext = await browser.newContext();
  const kioskPage = await kioskContext.newPage();
  await kioskPage.goto('/kiosk');
  await kioskPage.getByLabel('Device credential').fill(credential);
  await kioskPage.getByRole('button', { name: 'Set up tablet' }).click();
  await expect(kioskPage.getByRole('list', { name: 'Languages' })).toBeVisible();
  await page.reload();
  await expect(
    kiosks.getByRole('table').getByRole('row', { name: /Visiting room tablet 1/ }),
  ).not.toContainText('Never');
  // Relabelled where it now stands; the device stays signed in.
  await kiosks.getByRole('button', { name: 'Rename Visiting room tablet 1' }).click();
  await kiosks.getByLabel('New label').fill('Housing unit C tablet');
  await kiosks.getByRole('button', { name: 'Save label' }).click();
  await expect(kiosks.getByRole('table').getByRole('row', { name: /Housing unit C tablet/ })).toContainText(
    'Active',
  );
  await expect(kiosks.getByRole('table')).not.toContainText('Visiting room tablet 1');

  // The case-system connection: the secret is shown once; a test event reaches the receiver.
  await openSection(page, 'Case-system connection');
  await page.getByLabel('Webhook URL').fill(receiverUrl);
  await page.getByRole('button', { name: 'Save connection' }).click();
  const secret = await page.getByLabel('New signing secret').inputValue();
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole('button', { name: 'Send a test event' }).click();
  await expect.poll(() => receiver.requests.length, { timeout: 15_000 }).toBe(1);
  const delivered = receiver.requests[0]!;
  expect(JSON.parse(delivered.body)).toMatchObject({ event: 'webhook.test' });
  expect(standardSignatureValid(secret, delivered.headers, delivered.body)).toBe(true);
  const log = page.getByRole('table', { name: 'Delivery log' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(log.getByRole('row', { name: /webhook\.test/ })).toContainText(
      adminText.connection.statuses.DELIVERED,
      {
        timeout: 1_000,
      },
    );
  }).toPass({ timeout: 15_000 });

  // Deactivating the staff member ends their session at once.
  await openSection(page, 'People');
  await page.getByRole('button', { name: 'Deactivate Noor Haddad' }).click();
  const everyone = page.getByRole('table', { name: 'Everyone in your organisation' });
  await expect(everyone.getByRole('row', { name: /Noor Haddad/ })).toContainText('Deactivated');
  await staffPage.getByRole('link', { name: 'Schedule' }).click();
  await expect(staffPage).toHaveURL(/\/sign-in/);
  await staffPage.getByLabel('Email').fill('noor.staff@parley.test');
  await staffPage.getByLabel('Password').fill('noor has a long password');
  await staffPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(staffPage.getByRole('alert')).toBeVisible();

  // Every change is in the audit, and the case-record reads beside them.
  await openSection(page, 'Audit');
  const audit = page.getByRole('table', { name: 'Audit' });
  for (const action of [
    'USER_INVITED',
    'FACILITY_CREATED',
    'KIOSK_REGISTERED',
    'KIOSK_RENAMED',
    'WEBHOOK_TEST_SENT',
    'USER_DEACTIVATED',
  ] as const) {
    await expect(audit.getByText(adminText.audit.actions[action], { exact: true }).first()).toBeVisible();
  }

  await staffContext.close();
  await kioskContext.close();
});

/** A short WAV file (48 kHz mono 16-bit, a 440 Hz tone): what an interpreter's recording might be. */
function toneWav(seconds: number): Buffer {
  const rate = 48_000;
  const samples = Math.round(rate * seconds);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  }
  return wav;
}

test('an administrator unlocks a locked account, finds it in the audit by who did it, and sets up kiosks and the booking horizon', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  // An interpreter no other spec signs in as, locked out by ten wrong passwords from ten addresses.
  const email = 'europe@parley.demo';
  for (let i = 1; i <= 10; i++) {
    await request.post('/api/auth/login', {
      data: { email, password: `wrong guess ${i}` },
      headers: { 'X-Forwarded-For': `198.51.100.${i}` },
    });
  }
  const refused = await request.post('/api/auth/login', { data: { email, password: DEMO_PASSWORD } });
  expect((await refused.json()).error.code).toBe('ACCOUNT_LOCKED');

  await signInAs(page, DEMO_USERS.admin);
  await openSection(page, 'People');
  await page.getByRole('searchbox', { name: 'Search by name or email' }).fill(email);
  const people = page.getByRole('table', { name: 'Everyone in your organisation' });
  await expect(people.getByRole('row')).toHaveCount(2);
  await expect(people).toContainText('Sign-in locked until');
  await people.getByRole('button', { name: /^Unlock sign-in/ }).click();
  await expect(people).not.toContainText('Sign-in locked until');
  await expect(people.getByRole('button', { name: /^Unlock sign-in/ })).toHaveCount(0);
  const signedIn = await request.post('/api/auth/login', { data: { email, password: DEMO_PASSWORD } });
  expect(signedIn.status()).toBe(200);

  // The audit, narrowed to what the administrator did, shows the unlock.
  await openSection(page, 'Audit');
  await page.getByLabel('Find a person').fill('admin@parley.demo');
  const doneBy = page.getByLabel('Done by');
  await expect(doneBy.locator('option')).toHaveCount(2);
  await doneBy.selectOption({ index: 1 });
  const audit = page.getByRole('table', { name: 'Audit' });
  await expect(audit.getByText(adminText.audit.actions.USER_UNLOCKED, { exact: true }).first()).toBeVisible();
  const rows = audit.locator('tbody tr');
  const actors = await rows.locator('td:nth-child(2)').allTextContents();
  expect(actors.length).toBeGreaterThan(0);
  for (const actor of actors) expect(actor).toContain('admin@parley.demo');

  // Kiosks and scheduling: the kiosk's initials, the booking horizon, a recorded prompt.
  await openSection(page, 'Kiosks and scheduling');
  const initials = page.getByLabel("Show each client's initials beside their call time");
  await expect(initials).not.toBeChecked();
  await initials.check();
  await page.getByRole('button', { name: 'Save kiosk settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toHaveCount(1);
  const horizon = page.getByLabel('Days ahead');
  await expect(horizon).toHaveValue('365');
  await horizon.fill('400');
  await page.getByRole('button', { name: 'Save booking horizon' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toHaveCount(2);
  await page.reload();
  await expect(page.getByLabel("Show each client's initials beside their call time")).toBeChecked();
  await expect(page.getByLabel('Days ahead')).toHaveValue('400');

  // Mam has no generated voice: a recording gives its "choose your call" screen one.
  const promptSection = page.getByRole('region', { name: 'Recorded kiosk prompts' });
  await promptSection.getByLabel('Language').selectOption('mam');
  const prompts = page.getByRole('table', { name: 'Recorded kiosk prompts' });
  const chooseCall = prompts.locator('tr[data-prompt="chooseCall"]');
  await expect(chooseCall).toContainText('Toque la hora de su llamada');
  await expect(chooseCall).toContainText('No voice: pictures only');
  await chooseCall
    .locator('input[type="file"]')
    .setInputFiles({ name: 'choose-call.wav', mimeType: 'audio/wav', buffer: toneWav(0.5) });
  await expect(chooseCall).toContainText('Your recording');
  const kiosk = await request.post('/api/kiosk/session', { data: { credential: 'kiosk-demo-adams' } });
  const kioskToken = (await kiosk.json()).token as string;
  const served = await request.get('/api/kiosk/prompts/mam/chooseCall', {
    headers: { Authorization: `Bearer ${kioskToken}` },
  });
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toContain('audio/wav');
  // A file that is not audio is refused, and nothing changes.
  const enterDigits = prompts.locator('tr[data-prompt="enterDigits"]');
  await enterDigits.locator('input[type="file"]').setInputFiles({
    name: 'notes.wav',
    mimeType: 'audio/wav',
    buffer: Buffer.from('not really a wav file'),
  });
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(enterDigits).toContainText('No voice: pictures only');
  await chooseCall.getByRole('button', { name: /^Remove recording/ }).click();
  await expect(chooseCall).toContainText('No voice: pictures only');

  // Back as the other specs expect them: times only on the kiosk, a year ahead.
  await page.getByLabel("Show each client's initials beside their call time").uncheck();
  await page.getByRole('button', { name: 'Save kiosk settings' }).click();
  await page.getByLabel('Days ahead').fill('365');
  await page.getByRole('button', { name: 'Save booking horizon' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toHaveCount(2);
});

test('someone who forgot their password gets a link by email and chooses a new one', async ({ page }) => {
  // An interpreter no other spec signs in as.
  const email = 'westafrica@parley.demo';
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('status')).toContainText('If that address belongs to an account');
  const mail = await waitForMail(email);
  expect(mail.subject).toBe('Reset your Parley password');

  await page.goto(linkIn(mail.text));
  await page.getByLabel('New password').fill('awa chose a new passphrase');
  await page.getByLabel('Type the password again').fill('awa chose a new passphrase');
  await page.getByRole('button', { name: 'Set my new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');
  await signInAs(page, email, 'awa chose a new passphrase');
  await expect(page).toHaveURL(/\/interpreter$/);
});
