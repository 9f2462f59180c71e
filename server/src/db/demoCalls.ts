import { appendSessionEvent } from '../sessionLog/appendSessionEvent.ts';
import type { Logger } from '../logger.ts';
import { DEMO_ORGANIZATION } from './demoData.ts';
import type { Db } from './types.ts';

/**
 * Calls happening now, so a person trying Parley can hold a real call at once (README, "Join a
 * demo call"). Real bookings go through the booking rules and a facility's 24-hour lead time;
 * these demo fixtures are written directly, each with its CONSULTATION_SCHEDULED event.
 */
export const DEMO_LIVE_CALLS = [
  {
    facilityCode: 'ADAMS',
    clientANumber: '208114572',
    attorneyEmail: 'attorney@parley.demo',
    interpreterEmail: 'interpreter@parley.demo',
    language: 'es',
    kioskPin: '246810',
  },
  {
    facilityCode: 'LASALLE',
    clientANumber: '214550981',
    attorneyEmail: 'probono@parley.demo',
    interpreterEmail: 'kreyol@parley.demo',
    language: 'ht',
    kioskPin: '135790',
  },
] as const;

const DEMO_CALL_MINUTES = 60;

/**
 * Makes sure each demo call has a joinable consultation covering now; creates one starting now
 * when the last has ended. Returns the consultations created.
 */
export async function ensureDemoCallsNow(db: Db, logger: Logger, now = new Date()): Promise<string[]> {
  const org = await db.organization.findUnique({
    where: { slug: DEMO_ORGANIZATION.slug },
    select: { id: true },
  });
  if (!org) return [];
  const created: string[] = [];
  const startsAt = new Date(Math.floor(now.getTime() / 300_000) * 300_000);
  const endsAt = new Date(startsAt.getTime() + DEMO_CALL_MINUTES * 60_000);
  for (const demo of DEMO_LIVE_CALLS) {
    const [facility, attorney, interpreter, client] = await Promise.all([
      db.facility.findFirst({
        where: { organizationId: org.id, code: demo.facilityCode },
        select: { id: true },
      }),
      db.user.findUnique({ where: { email: demo.attorneyEmail }, select: { id: true } }),
      db.user.findUnique({ where: { email: demo.interpreterEmail }, select: { id: true } }),
      db.client.findFirst({
        where: { organizationId: org.id, aNumber: demo.clientANumber },
        select: { id: true, cases: { select: { id: true }, take: 1 } },
      }),
    ]);
    const caseId = client?.cases[0]?.id;
    if (!facility || !attorney || !interpreter || !client || !caseId) continue;
    const open = await db.consultation.count({
      where: {
        facilityId: facility.id,
        clientId: client.id,
        status: { in: ['SCHEDULED', 'IN_PROGRESS'] },
        startsAt: { lte: now },
        endsAt: { gt: new Date(now.getTime() + 10 * 60_000) },
      },
    });
    if (open > 0) continue;
    const id = await db.$transaction(async (tx) => {
      // The PIN stays unique among the facility's open calls: retire stale demo calls holding it.
      await tx.consultation.updateMany({
        where: {
          facilityId: facility.id,
          kioskPin: demo.kioskPin,
          status: { in: ['SCHEDULED', 'IN_PROGRESS'] },
        },
        data: { status: 'COMPLETED' },
      });
      const row = await tx.consultation.create({
        data: {
          organizationId: org.id,
          caseId,
          clientId: client.id,
          facilityId: facility.id,
          attorneyId: attorney.id,
          interpreterId: interpreter.id,
          language: demo.language,
          startsAt,
          endsAt,
          kioskPin: demo.kioskPin,
          createdById: attorney.id,
        },
        select: { id: true },
      });
      await appendSessionEvent(tx, {
        organizationId: org.id,
        consultationId: row.id,
        type: 'CONSULTATION_SCHEDULED',
        payload: {
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          facilityId: facility.id,
          attorneyId: attorney.id,
          interpreterId: interpreter.id,
          language: demo.language,
          mode: 'CONSECUTIVE',
        },
      });
      return row.id;
    });
    created.push(id);
  }
  if (created.length > 0) logger.info({ consultations: created }, 'demo calls ready to join now');
  return created;
}
