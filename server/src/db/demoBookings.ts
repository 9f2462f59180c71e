import { DateTime } from 'luxon';
import type { Logger } from '../logger.ts';
import { BookingService } from '../scheduling/BookingService.ts';
import { DEMO_ORGANIZATION } from './demoData.ts';
import type { Db } from './types.ts';

/** How many demo consultations to book ahead, one per client, spread over the next working days. */
const DEMO_BOOKINGS = 10;

/**
 * Fills the demo calendar the way staff would: for each client, the first slot the scheduler
 * suggests on a coming working day, booked through the real booking rules (lead time, windows,
 * booths, interpreters). Runs once, on the first start of the demo organisation.
 */
export async function bookDemoConsultations(db: Db, logger: Logger, now = new Date()): Promise<number> {
  const org = await db.organization.findUnique({
    where: { slug: DEMO_ORGANIZATION.slug },
    select: { id: true },
  });
  if (!org) return 0;
  if ((await db.consultation.count({ where: { organizationId: org.id, startsAt: { gt: now } } })) > 2)
    return 0;
  const staff = await db.user.findFirst({
    where: { organizationId: org.id, role: 'STAFF' },
    select: { id: true },
  });
  if (!staff) return 0;
  const who = { userId: staff.id, organizationId: org.id, role: 'STAFF' as const };
  const bookings = new BookingService(db, logger, () => now);
  const cases = await db.case.findMany({
    where: { organizationId: org.id, status: 'OPEN' },
    select: {
      id: true,
      client: { select: { preferredLanguage: true } },
      attorneys: { select: { attorneyId: true } },
    },
    orderBy: { reference: 'asc' },
    take: DEMO_BOOKINGS,
  });
  let booked = 0;
  let day = DateTime.fromJSDate(now, { zone: 'America/Chicago' }).plus({ days: 2 });
  for (const [index, kase] of cases.entries()) {
    const attorneyId = kase.attorneys[0]?.attorneyId;
    if (!attorneyId) continue;
    while (day.weekday > 5) day = day.plus({ days: 1 });
    try {
      const { slots } = await bookings.suggestions(who, {
        caseId: kase.id,
        attorneyId,
        date: day.toISODate() ?? '',
        durationMinutes: 60,
        stepMinutes: 30,
      });
      // Spread the day: not every call at opening time.
      const slot = slots[(index * 3) % Math.max(1, slots.length)];
      const interpreter = slot?.interpreters[0];
      if (!slot || !interpreter) continue;
      const consultation = await bookings.book(who, {
        caseId: kase.id,
        attorneyId,
        interpreterId: interpreter.id,
        language: kase.client.preferredLanguage as never,
        mode: 'CONSECUTIVE',
        startsAt: slot.startsAt,
        durationMinutes: 60,
      });
      // The demo's facilities have said yes (by phone, as staff record it): the calls are clickable.
      if (consultation.status === 'REQUESTED') await bookings.confirmByStaff(who, consultation.id);
      booked++;
    } catch (err) {
      logger.warn({ err, caseId: kase.id }, 'demo booking skipped');
    }
    if (index % 3 === 2) day = day.plus({ days: 1 });
  }
  logger.info({ booked }, 'demo consultations booked');
  return booked;
}
