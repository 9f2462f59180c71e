import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../db/demoData.ts';
import { linkIn, SmtpInbox } from '../mail/testing/smtpInbox.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';

const inbox = new SmtpInbox();
let t: TestServer;
let admin: string;
let staff: string;
let adminId: string;

function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token') ?? '';
}

beforeAll(async () => {
  const smtpUrl = await inbox.start();
  t = await startTestServer({
    mail: {
      smtpUrl,
      from: 'Parley <no-reply@parley.test>',
      forgotPasswordRateLimit: { windowMs: 60_000, max: 3 },
    },
  });
  [admin, staff] = await Promise.all([t.login('admin@parley.demo'), t.login('staff@parley.demo')]);
  adminId = (await t.request('GET', '/api/auth/me', { token: admin })).body.user.id;
});
afterAll(async () => {
  await t?.close();
  await inbox.close();
});

async function userCount(): Promise<number> {
  return t.database.prisma.user.count();
}

describe('who may manage people', () => {
  it('refuses signed-out callers and every role but ADMIN', async () => {
    expect((await t.request('GET', '/api/users')).status).toBe(401);
    const asStaff = await t.request('GET', '/api/users', { token: staff });
    expect(asStaff.status).toBe(403);
    expect(asStaff.body.error.code).toBe('FORBIDDEN_ROLE');
    const invite = await t.request('POST', '/api/users/invites', {
      token: staff,
      body: { email: 'x@parley.test', name: 'X', role: 'STAFF' },
    });
    expect(invite.body.error.code).toBe('FORBIDDEN_ROLE');
    expect(await t.database.prisma.userInvite.count()).toBe(0);
  });

  it('lists only the caller’s organisation, filtered by role and search, in pages', async () => {
    const all = await t.request('GET', '/api/users?limit=100', { token: admin });
    expect(all.status).toBe(200);
    expect(all.body.items.map((u: { email: string }) => u.email)).not.toContain(OTHER_ORG_USERS.staff);
    const interpreters = await t.request('GET', '/api/users?role=INTERPRETER&limit=3', { token: admin });
    expect(interpreters.body.items).toHaveLength(3);
    expect(interpreters.body.total).toBeGreaterThan(3);
    expect(interpreters.body.items.every((u: { role: string }) => u.role === 'INTERPRETER')).toBe(true);
    const search = await t.request('GET', '/api/users?q=okafor', { token: admin });
    expect(search.body.items.map((u: { email: string }) => u.email)).toEqual(['attorney@parley.demo']);
    const bad = await t.request('GET', '/api/users?role=KING', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('cannot reach a person of another organisation', async () => {
    const other = await t.database.prisma.user.findUniqueOrThrow({ where: { email: OTHER_ORG_USERS.staff } });
    const patch = await t.request('PATCH', `/api/users/${other.id}`, {
      token: admin,
      body: { name: 'Taken' },
    });
    expect(patch.status).toBe(404);
    const off = await t.request('POST', `/api/users/${other.id}/deactivate`, { token: admin, body: {} });
    expect(off.status).toBe(404);
    const after = await t.database.prisma.user.findUniqueOrThrow({ where: { id: other.id } });
    expect(after).toMatchObject({ name: 'Other Staff', active: true });
  });

  it('shows staff the attorneys’ bar cards for booking', async () => {
    const res = await t.request('GET', '/api/users/attorneys', { token: staff });
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual(
      expect.objectContaining({ name: 'Grace Okafor', barNumber: 'MS-104233' }),
    );
    const attorney = await t.login('attorney@parley.demo');
    expect((await t.request('GET', '/api/users/attorneys', { token: attorney })).status).toBe(403);
  });
});

describe('invites', () => {
  it('refuses bad input and a taken address, changing nothing', async () => {
    const bad = await t.request('POST', '/api/users/invites', {
      token: admin,
      body: { email: 'not-an-email', name: '', role: 'STAFF' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const taken = await t.request('POST', '/api/users/invites', {
      token: admin,
      body: { email: 'Staff@Parley.demo', name: 'Again', role: 'STAFF' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('EMAIL_TAKEN');
    expect(await t.database.prisma.userInvite.count()).toBe(0);
  });

  it('mails a single-use link that signs an attorney up once their bar card is given', async () => {
    const res = await t.request('POST', '/api/users/invites', {
      token: admin,
      body: { email: 'New.Attorney@Parley.test', name: 'Nadia Haddad', role: 'ATTORNEY' },
    });
    expect(res.status).toBe(201);
    expect(res.body.emailed).toBe(true);
    expect(res.body.invite).toMatchObject({ email: 'new.attorney@parley.test', status: 'PENDING' });
    const mail = await inbox.waitFor('new.attorney@parley.test');
    expect(mail.subject).toContain('Gulf South Immigrant Legal Aid');
    const link = linkIn(mail.text);
    expect(link).toBe(res.body.link);
    expect(link.startsWith(`${t.url}/sign-up?token=`)).toBe(true);
    const token = tokenOf(link);
    // Only the hash is stored.
    const stored = await t.database.prisma.userInvite.findFirstOrThrow({
      where: { email: 'new.attorney@parley.test' },
    });
    expect(stored.tokenHash).not.toContain(token);

    const preview = await t.request('GET', `/api/account/invite?token=${token}`);
    expect(preview.body.invite).toMatchObject({ role: 'ATTORNEY', name: 'Nadia Haddad' });

    const before = await userCount();
    const incomplete = await t.request('POST', '/api/account/sign-up', {
      body: { token, name: 'Nadia Haddad', password: 'a long enough password' },
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.code).toBe('PROFILE_INCOMPLETE');
    const short = await t.request('POST', '/api/account/sign-up', {
      body: { token, name: 'Nadia Haddad', password: 'short', barNumber: 'LA-1', barState: 'LA' },
    });
    expect(short.body.error.code).toBe('VALIDATION_FAILED');
    expect(await userCount()).toBe(before);

    const done = await t.request('POST', '/api/account/sign-up', {
      body: {
        token,
        name: 'Nadia Haddad',
        password: 'a long enough password',
        barNumber: 'LA-40112',
        barState: 'LA',
        timeZone: 'America/Chicago',
      },
    });
    expect(done.status).toBe(201);
    expect(done.body).toEqual({ email: 'new.attorney@parley.test' });
    await t.login('new.attorney@parley.test', 'a long enough password');
    const again = await t.request('POST', '/api/account/sign-up', {
      body: { token, name: 'Someone', password: 'a long enough password', barNumber: 'X', barState: 'LA' },
    });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('INVITE_INVALID');
    expect(await userCount()).toBe(before + 1);
  });

  it('a newer invite or a revocation ends the earlier link', async () => {
    const first = await t.request('POST', '/api/users/invites', {
      token: admin,
      body: { email: 'twice@parley.test', name: 'Twice', role: 'STAFF' },
    });
    const second = await t.request('POST', '/api/users/invites', {
      token: admin,
      body: { email: 'twice@parley.test', name: 'Twice', role: 'STAFF' },
    });
    const old = await t.request('GET', `/api/account/invite?token=${tokenOf(first.body.link)}`);
    expect(old.body.error.code).toBe('INVITE_INVALID');
    const revoke = await t.request('DELETE', `/api/users/invites/${second.body.invite.id}`, { token: admin });
    expect(revoke.status).toBe(204);
    const revoked = await t.request('POST', '/api/account/sign-up', {
      body: { token: tokenOf(second.body.link), name: 'Twice', password: 'a long enough password' },
    });
    expect(revoked.body.error.code).toBe('INVITE_INVALID');
    const list = await t.request('GET', '/api/users/invites', { token: admin });
    expect(list.body.items.filter((i: { email: string }) => i.email === 'twice@parley.test')).toEqual([
      expect.objectContaining({ status: 'REVOKED' }),
      expect.objectContaining({ status: 'REVOKED' }),
    ]);
  });

  it('an interpreter signs up with languages, a dial-out phone and a zone', async () => {
    const res = await t.request('POST', '/api/users/invites', {
      token: admin,
      body: { email: 'mam@parley.test', name: 'Ana Mam', role: 'INTERPRETER' },
    });
    const token = tokenOf(res.body.link);
    const badZone = await t.request('POST', '/api/account/sign-up', {
      body: {
        token,
        name: 'Ana',
        password: 'a long enough password',
        languages: ['mam'],
        timeZone: 'Mars/Base',
      },
    });
    expect(badZone.body.error.code).toBe('VALIDATION_FAILED');
    const badLanguage = await t.request('POST', '/api/account/sign-up', {
      body: { token, name: 'Ana', password: 'a long enough password', languages: ['xx'] },
    });
    expect(badLanguage.body.error.code).toBe('VALIDATION_FAILED');
    const ok = await t.request('POST', '/api/account/sign-up', {
      body: {
        token,
        name: 'Ana',
        password: 'a long enough password',
        languages: ['mam', 'es'],
        phone: '+15045550123',
        timeZone: 'America/Guatemala',
      },
    });
    expect(ok.status).toBe(201);
    const row = await t.database.prisma.user.findUniqueOrThrow({ where: { email: 'mam@parley.test' } });
    expect(row).toMatchObject({
      role: 'INTERPRETER',
      languages: ['mam', 'es'],
      phone: '+15045550123',
      timeZone: 'America/Guatemala',
      barNumber: null,
    });
  });
});

describe('roles, deactivation and resets', () => {
  it('keeps a role change consistent with the profile it needs', async () => {
    const staffRow = await t.database.prisma.user.findUniqueOrThrow({
      where: { email: 'staff@parley.demo' },
    });
    const toInterpreter = await t.request('PATCH', `/api/users/${staffRow.id}`, {
      token: admin,
      body: { role: 'INTERPRETER' },
    });
    expect(toInterpreter.status).toBe(400);
    expect(toInterpreter.body.error.code).toBe('PROFILE_INCOMPLETE');
    expect((await t.database.prisma.user.findUniqueOrThrow({ where: { id: staffRow.id } })).role).toBe(
      'STAFF',
    );
    const own = await t.request('PATCH', `/api/users/${adminId}`, { token: admin, body: { role: 'STAFF' } });
    expect(own.body.error.code).toBe('OWN_ACCOUNT');
    const attorney = await t.database.prisma.user.findUniqueOrThrow({
      where: { email: 'probono@parley.demo' },
    });
    const ok = await t.request('PATCH', `/api/users/${attorney.id}`, {
      token: admin,
      body: { barState: 'LA', phone: '+15045550199' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ barNumber: 'LA-38817', barState: 'LA', phone: '+15045550199' });
    const badState = await t.request('PATCH', `/api/users/${attorney.id}`, {
      token: admin,
      body: { barState: 'XX' },
    });
    expect(badState.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('deactivating ends the person’s sign-ins; reactivating lets them back', async () => {
    const login = await t.request('POST', '/api/auth/login', {
      body: { email: 'kreyol@parley.demo', password: DEMO_PASSWORD },
    });
    const person = login.body.user.id as string;
    expect((await t.request('GET', '/api/auth/me', { token: login.body.accessToken })).status).toBe(200);
    const junk = await t.request('POST', `/api/users/${person}/deactivate`, {
      token: admin,
      body: { active: 1 },
    });
    expect([junk.status, junk.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await t.request('GET', '/api/auth/me', { token: login.body.accessToken })).status).toBe(200);
    const off = await t.request('POST', `/api/users/${person}/deactivate`, { token: admin, body: {} });
    expect(off.status).toBe(200);
    expect(off.body.user.active).toBe(false);
    // The access token stops working at once, not when it expires.
    const me = await t.request('GET', '/api/auth/me', { token: login.body.accessToken });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('SESSION_REVOKED');
    const refresh = await t.request('POST', '/api/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    expect(refresh.status).toBe(401);
    const again = await t.request('POST', '/api/auth/login', {
      body: { email: 'kreyol@parley.demo', password: DEMO_PASSWORD },
    });
    expect(again.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(
      (await t.request('POST', `/api/users/${adminId}/deactivate`, { token: admin, body: {} })).body.error
        .code,
    ).toBe('OWN_ACCOUNT');
    const on = await t.request('POST', `/api/users/${person}/reactivate`, { token: admin, body: {} });
    expect(on.body.user.active).toBe(true);
    await t.login('kreyol@parley.demo');
  });

  it('an administrator’s reset mails a link; the new password works and the link only once', async () => {
    const person = await t.database.prisma.user.findUniqueOrThrow({ where: { email: 'europe@parley.demo' } });
    const issued = await t.request('POST', `/api/users/${person.id}/password-reset`, {
      token: admin,
      body: {},
    });
    expect(issued.status).toBe(201);
    expect(issued.body.emailed).toBe(true);
    const mail = await inbox.waitFor('europe@parley.demo', (m) => m.subject.includes('Reset'));
    expect(linkIn(mail.text)).toBe(issued.body.link);
    const token = tokenOf(issued.body.link);
    const reset = await t.request('POST', '/api/account/reset-password', {
      body: { token, password: 'a brand new passphrase' },
    });
    expect(reset.status).toBe(200);
    await t.login('europe@parley.demo', 'a brand new passphrase');
    const old = await t.request('POST', '/api/auth/login', {
      body: { email: 'europe@parley.demo', password: DEMO_PASSWORD },
    });
    expect(old.status).toBe(401);
    const reuse = await t.request('POST', '/api/account/reset-password', {
      body: { token, password: 'yet another passphrase' },
    });
    expect(reuse.status).toBe(410);
    expect(reuse.body.error.code).toBe('RESET_LINK_INVALID');
  });

  it('"forgot password" answers the same for any address, mails only real ones, and is rate-limited', async () => {
    const known = await t.request('POST', '/api/account/forgot-password', {
      body: { email: 'asia@parley.demo' },
    });
    const unknown = await t.request('POST', '/api/account/forgot-password', {
      body: { email: 'nobody@parley.demo' },
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const mail = await inbox.waitFor('asia@parley.demo', (m) => m.subject.includes('Reset'));
    expect(linkIn(mail.text).startsWith(`${t.url}/reset-password?token=`)).toBe(true);
    const bad = await t.request('POST', '/api/account/forgot-password', { body: { email: 'nope' } });
    expect(bad.status).toBe(400);
    const limited = await t.request('POST', '/api/account/forgot-password', {
      body: { email: 'asia@parley.demo' },
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(inbox.messages.filter((m) => m.to.includes('nobody@parley.demo'))).toEqual([]);
  });
});

describe('the audit of people changes', () => {
  it('records who did what, never a token or password', async () => {
    const res = await t.request('GET', '/api/admin/audit?kind=ADMIN&limit=100', { token: admin });
    expect(res.status).toBe(200);
    const actions = res.body.items.map((e: { action: string }) => e.action);
    for (const action of [
      'USER_INVITED',
      'INVITE_ACCEPTED',
      'INVITE_REVOKED',
      'USER_UPDATED',
      'USER_DEACTIVATED',
      'USER_REACTIVATED',
      'PASSWORD_RESET_ISSUED',
      'PASSWORD_RESET_BY_LINK',
    ]) {
      expect(actions).toContain(action);
    }
    const deactivated = res.body.items.find((e: { action: string }) => e.action === 'USER_DEACTIVATED');
    expect(deactivated).toMatchObject({ actor: { id: adminId }, target: 'User kreyol@parley.demo' });
    expect(JSON.stringify(res.body)).not.toMatch(/token=|passphrase|password"/);
    const staffView = await t.request('GET', '/api/admin/audit', { token: staff });
    expect(staffView.status).toBe(403);
  });
});

describe('sign-in locks on the people screen', () => {
  it('shows a locked account with until when; unlocking lifts it, is audited, and stays in the organisation', async () => {
    const email = 'probono@parley.demo';
    for (let i = 1; i <= 10; i++) {
      await t.request('POST', '/api/auth/login', {
        body: { email, password: `wrong guess ${i}` },
        headers: { 'X-Forwarded-For': `198.51.100.${i}` },
      });
    }
    const locked = await t.request('GET', `/api/users?q=${email}`, { token: admin });
    const person = locked.body.items[0];
    expect(person.email).toBe(email);
    expect(Date.parse(person.signInLockedUntil)).toBeGreaterThan(Date.now());
    const others = await t.request('GET', '/api/users?q=interpreter@parley.demo', { token: admin });
    expect(others.body.items[0].signInLockedUntil).toBeNull();

    // Not by staff, and not a person of another organisation.
    expect((await t.request('POST', `/api/users/${person.id}/unlock`, { token: staff })).status).toBe(403);
    const stranger = await t.database.prisma.user.findUniqueOrThrow({
      where: { email: OTHER_ORG_USERS.staff },
    });
    expect((await t.request('POST', `/api/users/${stranger.id}/unlock`, { token: admin })).status).toBe(404);
    const still = await t.request('GET', `/api/users?q=${email}`, { token: admin });
    expect(still.body.items[0].signInLockedUntil).not.toBeNull();

    expect((await t.request('POST', `/api/users/${person.id}/unlock`, { token: admin })).status).toBe(204);
    const after = await t.request('GET', `/api/users?q=${email}`, { token: admin });
    expect(after.body.items[0].signInLockedUntil).toBeNull();
    expect((await t.login(email)).length).toBeGreaterThan(0);

    const audit = await t.request('GET', '/api/admin/audit?kind=ADMIN&action=USER_UNLOCKED', {
      token: admin,
    });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ actor: { id: adminId }, target: `User ${email}` });
  });
});

describe('the invite list', () => {
  it('comes a page at a time, newest first, and refuses a bad page', async () => {
    for (const n of [1, 2, 3]) {
      const res = await t.request('POST', '/api/users/invites', {
        token: admin,
        body: { email: `paged-${n}@parley.test`, name: `Paged ${n}`, role: 'STAFF' },
      });
      expect(res.status).toBe(201);
    }
    const first = await t.request('GET', '/api/users/invites?limit=2', { token: admin });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { email: string }) => i.email)).toEqual([
      'paged-3@parley.test',
      'paged-2@parley.test',
    ]);
    expect(first.body.total).toBeGreaterThanOrEqual(3);
    const second = await t.request('GET', '/api/users/invites?limit=2&offset=2', { token: admin });
    expect(second.body.items[0].email).toBe('paged-1@parley.test');
    const all = await t.request('GET', '/api/users/invites?limit=100', { token: admin });
    expect(all.body.items).toHaveLength(all.body.total);
    for (const bad of ['limit=0', 'limit=101', 'offset=-1', 'sort=email']) {
      const res = await t.request('GET', `/api/users/invites?${bad}`, { token: admin });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe('VALIDATION_FAILED');
    }
    expect((await t.request('GET', '/api/users/invites', { token: staff })).status).toBe(403);
  });
});
