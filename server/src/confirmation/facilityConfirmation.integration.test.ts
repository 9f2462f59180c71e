import { DateTime, type WeekdayNumbers } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKioskCredential } from '../db/demoData.ts';
import { createLogger } from '../logger.ts';
import { Mailer } from '../mail/Mailer.ts';
import { linkIn, SmtpInbox } from '../mail/testing/smtpInbox.ts';
import { findBrokenLink } from '../sessionLog/appendSessionEvent.ts';
import { OTHER_ORG_USERS, startTestServer, type TestServer } from '../testing/testServer.ts';
import { FacilityConfirmations } from './FacilityConfirmations.ts';

const CONTACT = 'scheduling@adams.facility.test';
const inbox = new SmtpInbox();
let t: TestServer;
let staff: string;
let admin: string;
let attorney: string;
let otherStaff: string;
let ids: { adams: string; mariaCase: string; grace: string };

/** A Chicago local time `weeksAhead` weeks from now: well past the lead time, inside Adams' windows. */
function chicago(weeksAhead: number, weekday: WeekdayNumbers, hour: number): string {
  return DateTime.now()
    .setZone('America/Chicago')
    .plus({ weeks: weeksAhead })
    .set({ weekday, hour, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO() as string;
}

beforeAll(async () => {
  const smtpUrl = await inbox.start();
  t = await startTestServer({
    mail: {
      smtpUrl,
      from: 'Parley <no-reply@parley.test>',
      forgotPasswordRateLimit: { windowMs: 60_000, max: 3 },
    },
    publicUrl: 'http://parley.test',
  });
  [staff, admin, attorney, otherStaff] = await Promise.all([
    t.login('staff@parley.demo'),
    t.login('admin@parley.demo'),
    t.login('attorney@parley.demo'),
    t.login(OTHER_ORG_USERS.staff),
  ]);
  const db = t.database.prisma;
  ids = {
    adams: (await db.facility.findFirstOrThrow({ where: { code: 'ADAMS' } })).id,
    mariaCase: (await db.case.findFirstOrThrow({ where: { reference: 'GS-2026-0101' } })).id,
    grace: (await db.user.findUniqueOrThrow({ where: { email: 'attorney@parley.demo' } })).id,
  };
  const contact = await t.request('PUT', `/api/facilities/${ids.adams}/contact`, {
    token: admin,
    body: { contactName: 'Sgt. Reyes', contactEmail: CONTACT, contactPhone: '' },
  });
  expect(contact.status).toBe(200);
  expect(contact.body.contact.confirmationRequired).toBe(true);
});
afterAll(async () => {
  await t?.close();
  await inbox.close();
});

async function book(startsAt: string) {
  const res = await t.request('POST', '/api/consultations', {
    token: staff,
    body: {
      caseId: ids.mariaCase,
      attorneyId: ids.grace,
      interpreterId: null,
      language: 'es',
      startsAt,
      durationMinutes: 60,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.consultation as { id: string; status: string; startsAt: string; confirmation: unknown };
}

/** The request mail for a call, by its link (each call has its own); waits for it to arrive. */
async function requestLink(consultationId: string, nth = 0): Promise<{ link: string; token: string }> {
  const mails = () =>
    inbox.messages.filter(
      (m) => m.to.includes(CONTACT) && m.text.includes(`/facility-confirmation/${consultationId}#`),
    );
  await inbox.waitFor(CONTACT, () => mails().length > nth);
  const link = linkIn(mails()[nth]!.text);
  return { link, token: new URL(link).hash.slice(1) };
}

const answer = (id: string, body: unknown) =>
  t.request('POST', `/api/facility-confirmations/${id}/answer`, { body });

async function state(id: string) {
  const db = t.database.prisma;
  const [row, events, requests] = await Promise.all([
    db.consultation.findUniqueOrThrow({ where: { id }, select: { status: true, cancelReason: true } }),
    db.sessionEvent.findMany({ where: { consultationId: id }, orderBy: { seq: 'asc' } }),
    db.facilityConfirmation.findMany({ where: { consultationId: id }, orderBy: { createdAt: 'asc' } }),
  ]);
  return { ...row, events: events.map((e) => e.type), requests };
}

describe('the facility confirms through its link', () => {
  it('books REQUESTED, mails the contact a link without client data, and confirms once', async () => {
    const call = await book(chicago(3, 2, 9));
    expect(call.status).toBe('REQUESTED');
    expect(call.confirmation).toMatchObject({ state: 'PENDING', sentTo: CONTACT });
    const { link, token } = await requestLink(call.id);
    expect(link.startsWith(`http://parley.test/facility-confirmation/${call.id}#`)).toBe(true);
    const mail = inbox.messages.find((m) => m.text.includes(link))!;
    expect(mail.subject).toContain('Adams County');
    expect(mail.text).not.toMatch(/Hern[aá]ndez|208114572/);

    // Not on the kiosk, not joinable, until confirmed.
    const kiosk = (
      await t.request('POST', '/api/kiosk/session', { body: { credential: demoKioskCredential('ADAMS') } })
    ).body.token as string;
    const tooEarly = await t.request('POST', '/api/kiosk/join', {
      token: kiosk,
      body: { consultationId: call.id, aNumberDigits: '572' },
    });
    expect([tooEarly.status, tooEarly.body.error.code]).toEqual([409, 'CALL_NOT_CONFIRMED']);

    const view = await t.request('POST', `/api/facility-confirmations/${call.id}/view`, { body: { token } });
    expect(view.status).toBe(200);
    expect(view.body.request).toMatchObject({
      consultationId: call.id,
      clientName: 'María José Hernández López',
      aNumber: '208114572',
      startsAt: call.startsAt,
      confirmation: { state: 'PENDING' },
    });

    const staffMails = inbox.messages.filter((m) => m.to.includes('staff@parley.demo')).length;
    const confirmed = await answer(call.id, { token, answer: 'CONFIRM' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.request.confirmation.state).toBe('CONFIRMED');
    const after = await state(call.id);
    expect(after.status).toBe('SCHEDULED');
    expect(after.events).toEqual([
      'CONSULTATION_SCHEDULED',
      'FACILITY_CONFIRMATION_REQUESTED',
      'FACILITY_CONFIRMED',
    ]);
    const logged = await t.database.prisma.sessionEvent.findFirstOrThrow({
      where: { consultationId: call.id, type: 'FACILITY_CONFIRMED' },
    });
    expect(logged).toMatchObject({ actorRole: 'FACILITY', actorUserId: null });
    expect((logged.payload as { via: string }).via).toBe('LINK');
    // The staff member who booked is told.
    await inbox.waitFor('staff@parley.demo', (m) => m.subject.includes('confirmed'));
    expect(inbox.messages.filter((m) => m.to.includes('staff@parley.demo')).length).toBe(staffMails + 1);
    const staffView = await t.request('GET', `/api/consultations/${call.id}`, { token: staff });
    expect(staffView.body.consultation.confirmation).toMatchObject({
      state: 'CONFIRMED',
      recordedByStaff: false,
    });

    // Confirmed: the kiosk now says "not open yet" rather than "not confirmed".
    const later = await t.request('POST', '/api/kiosk/join', {
      token: kiosk,
      body: { consultationId: call.id, aNumberDigits: '572' },
    });
    expect([later.status, later.body.error.code]).toEqual([409, 'CALL_NOT_OPEN']);

    // The same answer again changes nothing; a conflicting one is refused.
    const twice = await answer(call.id, { token, answer: 'CONFIRM' });
    expect(twice.status).toBe(200);
    const conflicting = await answer(call.id, { token, answer: 'DECLINE', reason: 'No officer that day' });
    expect([conflicting.status, conflicting.body.error.code]).toEqual([409, 'CONFIRMATION_ALREADY_ANSWERED']);
    const proposing = await answer(call.id, { token, answer: 'PROPOSE', proposedStartsAt: chicago(3, 3, 9) });
    expect(proposing.status).toBe(409);
    expect(await state(call.id)).toEqual(after);
  });

  it('refuses a link used for another booking, a forged token, and bad input, changing nothing', async () => {
    const first = await book(chicago(4, 2, 9));
    const second = await book(chicago(4, 3, 9));
    const { token } = await requestLink(first.id);
    const before = [await state(first.id), await state(second.id)];
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const cases: [string, unknown, number, string][] = [
      [second.id, { token, answer: 'CONFIRM' }, 404, 'CONFIRMATION_LINK_INVALID'],
      [first.id, { token: forged, answer: 'CONFIRM' }, 404, 'CONFIRMATION_LINK_INVALID'],
      [first.id, { token: 'short', answer: 'CONFIRM' }, 400, 'VALIDATION_FAILED'],
      [first.id, { token, answer: 'MAYBE' }, 400, 'VALIDATION_FAILED'],
      [first.id, { token, answer: 'DECLINE' }, 400, 'VALIDATION_FAILED'],
      [first.id, { token, answer: 'DECLINE', reason: 'x' }, 400, 'VALIDATION_FAILED'],
      [first.id, { token, answer: 'PROPOSE', proposedStartsAt: 'tomorrow' }, 400, 'VALIDATION_FAILED'],
      [
        first.id,
        { token, answer: 'PROPOSE', proposedStartsAt: '2001-01-01T10:00:00Z' },
        400,
        'VALIDATION_FAILED',
      ],
      [first.id, { token, answer: 'CONFIRM', extra: 1 }, 400, 'VALIDATION_FAILED'],
      ['not-a-uuid', { token, answer: 'CONFIRM' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await answer(id, body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const peek = await t.request('POST', `/api/facility-confirmations/${second.id}/view`, {
      body: { token },
    });
    expect([peek.status, peek.body.error.code]).toEqual([404, 'CONFIRMATION_LINK_INVALID']);
    expect([await state(first.id), await state(second.id)]).toEqual(before);
  });

  it('refuses an expired link, changing nothing', async () => {
    const call = await book(chicago(5, 2, 9));
    const { token } = await requestLink(call.id);
    const db = t.database.prisma;
    const past = new Date(Date.now() - 60_000);
    await db.facilityConfirmation.updateMany({
      where: { consultationId: call.id },
      data: { createdAt: new Date(past.getTime() - 60_000), expiresAt: past },
    });
    const before = await state(call.id);
    const res = await answer(call.id, { token, answer: 'CONFIRM' });
    expect([res.status, res.body.error.code]).toEqual([410, 'CONFIRMATION_LINK_EXPIRED']);
    expect(await state(call.id)).toEqual(before);
    const staffView = await t.request('GET', `/api/consultations/${call.id}`, { token: staff });
    expect(staffView.body.consultation.confirmation.state).toBe('EXPIRED');
    // Nor does the old link still show the call (the client's name and A-Number).
    const peek = await t.request('POST', `/api/facility-confirmations/${call.id}/view`, { body: { token } });
    expect([peek.status, peek.body.error.code]).toEqual([410, 'CONFIRMATION_LINK_EXPIRED']);
    expect(peek.body).not.toHaveProperty('request');
  });

  it('an answered link shows the call until it expires, and nothing after', async () => {
    const call = await book(chicago(5, 3, 9));
    const { token } = await requestLink(call.id);
    expect((await answer(call.id, { token, answer: 'CONFIRM' })).status).toBe(200);
    const view = () => t.request('POST', `/api/facility-confirmations/${call.id}/view`, { body: { token } });
    expect((await view()).status).toBe(200);
    await t.database.prisma.facilityConfirmation.updateMany({
      where: { consultationId: call.id },
      data: { createdAt: new Date(Date.now() - 120_000), expiresAt: new Date(Date.now() - 60_000) },
    });
    const late = await view();
    expect([late.status, late.body.error.code]).toEqual([410, 'CONFIRMATION_LINK_EXPIRED']);
    // The same answer again is not a way around it.
    const again = await answer(call.id, { token, answer: 'CONFIRM' });
    expect([again.status, again.body.error.code]).toEqual([410, 'CONFIRMATION_LINK_EXPIRED']);
  });

  it('asks again after a reschedule: the old link is dead, the new one works', async () => {
    const call = await book(chicago(6, 2, 9));
    const old = await requestLink(call.id);
    expect((await answer(call.id, { token: old.token, answer: 'CONFIRM' })).status).toBe(200);
    const moved = await t.request('POST', `/api/consultations/${call.id}/reschedule`, {
      token: staff,
      body: { startsAt: chicago(6, 2, 13) },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.consultation).toMatchObject({
      status: 'REQUESTED',
      confirmation: { state: 'PENDING' },
    });
    const fresh = await requestLink(call.id, 1);
    expect(fresh.token).not.toBe(old.token);
    const stale = await answer(call.id, { token: old.token, answer: 'CONFIRM' });
    expect([stale.status, stale.body.error.code]).toEqual([410, 'CONFIRMATION_LINK_INVALID']);
    expect((await state(call.id)).status).toBe('REQUESTED');
    const oldView = await t.request('POST', `/api/facility-confirmations/${call.id}/view`, {
      body: { token: old.token },
    });
    expect([oldView.status, oldView.body.error.code]).toEqual([410, 'CONFIRMATION_LINK_INVALID']);
    const view = await t.request('POST', `/api/facility-confirmations/${call.id}/view`, {
      body: { token: fresh.token },
    });
    expect(view.body.request.startsAt).toBe(chicago(6, 2, 13));
    expect((await answer(call.id, { token: fresh.token, answer: 'CONFIRM' })).status).toBe(200);
    expect((await state(call.id)).status).toBe('SCHEDULED');
  });

  it('an unanswered link dies with a reschedule or a cancellation', async () => {
    const call = await book(chicago(7, 2, 9));
    const { token } = await requestLink(call.id);
    const cancelled = await t.request('POST', `/api/consultations/${call.id}/cancel`, {
      token: staff,
      body: { reason: 'Client released' },
    });
    expect(cancelled.status).toBe(200);
    const before = await state(call.id);
    const res = await answer(call.id, { token, answer: 'CONFIRM' });
    expect([res.status, res.body.error.code]).toEqual([410, 'CONFIRMATION_LINK_INVALID']);
    expect(await state(call.id)).toEqual(before);
    expect(before.status).toBe('CANCELLED');
  });

  it('a decline cancels the call with the facility’s reason; staff see it', async () => {
    const call = await book(chicago(8, 2, 9));
    const { token } = await requestLink(call.id);
    const res = await answer(call.id, { token, answer: 'DECLINE', reason: 'Lockdown on that day' });
    expect(res.status).toBe(200);
    const after = await state(call.id);
    expect(after.status).toBe('CANCELLED');
    expect(after.cancelReason).toContain('Lockdown on that day');
    expect(after.events.slice(-2)).toEqual(['FACILITY_DECLINED', 'CONSULTATION_CANCELLED']);
    const view = await t.request('GET', `/api/consultations/${call.id}`, { token: staff });
    expect(view.body.consultation.confirmation).toMatchObject({
      state: 'DECLINED',
      declineReason: 'Lockdown on that day',
    });
    const events = await t.database.prisma.sessionEvent.findMany({
      where: { consultationId: call.id },
      orderBy: { seq: 'asc' },
    });
    expect(
      findBrokenLink(events.map((e) => ({ ...e, payload: e.payload as Record<string, string> }))),
    ).toBeNull();
  });

  it('a proposed time keeps the call REQUESTED; moving it there confirms it without asking again', async () => {
    const call = await book(chicago(9, 2, 9));
    const { token } = await requestLink(call.id);
    const proposed = chicago(9, 2, 14);
    const res = await answer(call.id, { token, answer: 'PROPOSE', proposedStartsAt: proposed });
    expect(res.status).toBe(200);
    const staffView = await t.request('GET', `/api/consultations/${call.id}`, { token: staff });
    expect(staffView.body.consultation).toMatchObject({
      status: 'REQUESTED',
      confirmation: { state: 'PROPOSED', proposedStartsAt: proposed },
    });
    const mailsBefore = inbox.messages.length;
    const moved = await t.request('POST', `/api/consultations/${call.id}/reschedule`, {
      token: staff,
      body: { startsAt: proposed },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.consultation).toMatchObject({
      status: 'SCHEDULED',
      confirmation: { state: 'CONFIRMED' },
    });
    expect((await state(call.id)).events.slice(-2)).toEqual([
      'CONSULTATION_RESCHEDULED',
      'FACILITY_CONFIRMED',
    ]);
    // The staff notice of the proposal may still be arriving; no new request went to the facility.
    expect(inbox.messages.slice(mailsBefore).filter((m) => m.to.includes(CONTACT))).toEqual([]);
  });
});

describe('reminders', () => {
  it('mails an unanswered request again with the same link, once however many sweeps run', async () => {
    const call = await book(chicago(10, 2, 9));
    const { link } = await requestLink(call.id);
    const db = t.database.prisma;
    const dayAgo = new Date(Date.now() - 25 * 3_600_000);
    await db.facilityConfirmation.updateMany({
      where: { consultationId: call.id },
      data: { createdAt: dayAgo, lastSentAt: dayAgo },
    });
    const logger = createLogger('silent');
    const mailer = new Mailer(t.config.mail, logger);
    const sweeper = () =>
      new FacilityConfirmations(db, logger, {
        secret: t.config.jwtSecret,
        mailer,
        publicUrl: 'http://parley.test',
      });
    const [a, b] = await Promise.all([sweeper().sweepReminders(), sweeper().sweepReminders()]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    const reminder = await inbox.waitFor(
      CONTACT,
      (m) => m.subject.startsWith('Reminder') && m.text.includes(link),
    );
    expect(reminder.text).toContain(link);
    expect(await sweeper().sweepReminders()).toBe(0);
    const after = await state(call.id);
    expect(after.events.filter((e) => e === 'FACILITY_CONFIRMATION_REMINDED')).toHaveLength(1);
    expect(after.requests[0]!.remindersSent).toBe(1);
    mailer.close();
  });
});

describe('staff confirm by phone; organisations turn confirmation off', () => {
  it('checks role, organisation, state and input', async () => {
    const call = await book(chicago(11, 2, 9));
    const path = `/api/consultations/${call.id}/confirmation`;
    const before = await state(call.id);
    const refusals: [string | undefined, unknown, number, string][] = [
      [undefined, { answer: 'CONFIRM' }, 401, 'UNAUTHENTICATED'],
      [attorney, { answer: 'CONFIRM' }, 403, 'FORBIDDEN_ROLE'],
      [otherStaff, { answer: 'CONFIRM' }, 404, 'NOT_FOUND'],
      [staff, { answer: 'DECLINE' }, 400, 'VALIDATION_FAILED'],
      [staff, {}, 400, 'VALIDATION_FAILED'],
    ];
    for (const [token, body, status, code] of refusals) {
      const res = await t.request('POST', path, { ...(token ? { token } : {}), body });
      expect([res.status, res.body.error?.code]).toEqual([status, code]);
    }
    expect(await state(call.id)).toEqual(before);
    const ok = await t.request('POST', path, { token: staff, body: { answer: 'CONFIRM' } });
    expect(ok.body.consultation).toMatchObject({
      status: 'SCHEDULED',
      confirmation: { recordedByStaff: true },
    });
    const again = await t.request('POST', path, { token: staff, body: { answer: 'CONFIRM' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'CONFIRMATION_NOT_PENDING']);
  });

  it('books SCHEDULED at once where the facility needs no confirmation; only admins change it', async () => {
    const byStaff = await t.request('PUT', `/api/facilities/${ids.adams}/contact`, {
      token: staff,
      body: {
        contactName: 'Sgt. Reyes',
        contactEmail: CONTACT,
        contactPhone: '',
        confirmationRequired: false,
      },
    });
    expect(byStaff.status).toBe(403);
    const off = await t.request('PUT', `/api/facilities/${ids.adams}/contact`, {
      token: admin,
      body: {
        contactName: 'Sgt. Reyes',
        contactEmail: CONTACT,
        contactPhone: '',
        confirmationRequired: false,
      },
    });
    expect(off.body.contact.confirmationRequired).toBe(false);
    const mailsBefore = inbox.messages.length;
    const call = await book(chicago(12, 2, 9));
    expect(call).toMatchObject({ status: 'SCHEDULED', confirmation: null });
    expect((await state(call.id)).requests).toEqual([]);
    expect(inbox.messages.length).toBe(mailsBefore);
    const on = await t.request('PUT', `/api/facilities/${ids.adams}/contact`, {
      token: admin,
      body: {
        contactName: 'Sgt. Reyes',
        contactEmail: CONTACT,
        contactPhone: '',
        confirmationRequired: true,
      },
    });
    expect(on.body.contact.confirmationRequired).toBe(true);
  });
});
