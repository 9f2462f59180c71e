import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../db/demoData.ts';
import { createLogger } from '../logger.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { DEFAULT_SIGN_IN_POLICY } from './attemptPolicy.ts';
import { AuthService } from './AuthService.ts';
import { AttemptThrottleRepository } from './AttemptThrottleRepository.ts';

/**
 * Per-account attempt limits: guesses at one account from many addresses all count, a locked
 * account refuses even the right password with ACCOUNT_LOCKED and when to retry, the lock is stored
 * (a restarted server still refuses), and an administrator of the same organisation can lift it.
 */

let t: TestServer;
let admin: string;

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.login('admin@parley.demo');
});
afterAll(async () => {
  await t?.close();
});

const LIMIT = DEFAULT_SIGN_IN_POLICY.maxFailures;

function signIn(email: string, password: string, address: number) {
  // Each guess from another client address: the per-address limit alone would let them all through.
  return t.request('POST', '/api/auth/login', {
    body: { email, password },
    headers: { 'X-Forwarded-For': `203.0.113.${address}` },
  });
}

async function lockOut(email: string) {
  const answers = [];
  for (let i = 1; i <= LIMIT; i++) answers.push(await signIn(email, `wrong guess ${i}`, i));
  return answers;
}

describe('per-account sign-in limits', () => {
  it('locks an account after too many failures from many addresses, even for the right password', async () => {
    const answers = await lockOut('attorney@parley.demo');
    expect(answers.slice(0, -1).map((a) => a.body.error.code)).toEqual(
      Array(LIMIT - 1).fill('INVALID_CREDENTIALS'),
    );
    const last = answers.at(-1)!;
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(last.body.error.message).toMatch(/Try again after .+, or ask an administrator to unlock it/);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);

    const right = await signIn('attorney@parley.demo', DEMO_PASSWORD, 200);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(right.body.accessToken).toBeUndefined();
    // Other accounts are not affected.
    expect((await signIn('interpreter@parley.demo', DEMO_PASSWORD, 1)).status).toBe(200);
  });

  it('keeps the lock in the database: a restarted server refuses too', async () => {
    const restarted = new AuthService(t.database.prisma, t.config, createLogger('silent'));
    await expect(
      restarted.login({ email: 'attorney@parley.demo', password: DEMO_PASSWORD }),
    ).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('answers an unknown email the same way, so a lock reveals no account', async () => {
    const answers = await lockOut('nobody-here@parley.demo');
    expect(answers.at(-1)!.body.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('lets only an administrator of the same organisation unlock', async () => {
    const attorney = await t.database.prisma.user.findUniqueOrThrow({
      where: { email: 'attorney@parley.demo' },
    });
    const staff = await t.login('staff@parley.demo');

    const byStaff = await t.request('POST', `/api/users/${attorney.id}/unlock`, { token: staff });
    expect(byStaff.status).toBe(403);
    expect(byStaff.body.error.code).toBe('FORBIDDEN_ROLE');
    const otherOrgUser = await t.database.prisma.user.findUniqueOrThrow({
      where: { email: OTHER_ORG_USERS.staff },
    });
    const elsewhere = await t.request('POST', `/api/users/${otherOrgUser.id}/unlock`, { token: admin });
    expect(elsewhere.status).toBe(404);
    const bad = await t.request('POST', '/api/users/not-a-uuid/unlock', { token: admin });
    expect(bad.status).toBe(400);
    expect((await signIn('attorney@parley.demo', DEMO_PASSWORD, 7)).body.error.code).toBe('ACCOUNT_LOCKED');

    const unlocked = await t.request('POST', `/api/users/${attorney.id}/unlock`, { token: admin });
    expect(unlocked.status).toBe(204);
    expect((await signIn('attorney@parley.demo', DEMO_PASSWORD, 7)).status).toBe(200);
  });

  it('forgets failures after a successful sign-in', async () => {
    for (let i = 1; i < LIMIT; i++) await signIn('staff@parley.demo', `wrong ${i}`, i);
    expect((await signIn('staff@parley.demo', DEMO_PASSWORD, 1)).status).toBe(200);
    for (let i = 1; i < LIMIT; i++) {
      expect((await signIn('staff@parley.demo', `wrong again ${i}`, i)).body.error.code).toBe(
        'INVALID_CREDENTIALS',
      );
    }
  });

  it('removes attempt rows once their window and lock are over (unknown emails do not pile up)', async () => {
    const attempts = new AttemptThrottleRepository(t.database.prisma);
    expect(await t.database.prisma.attemptThrottle.count()).toBeGreaterThan(0);
    expect(await attempts.sweep(new Date(), DEFAULT_SIGN_IN_POLICY)).toBe(0);
    const later = new Date(Date.now() + 2 * 3600_000);
    expect(await attempts.sweep(later, DEFAULT_SIGN_IN_POLICY)).toBeGreaterThan(0);
    expect(await t.database.prisma.attemptThrottle.count()).toBe(0);
  });
});
