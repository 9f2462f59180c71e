import type { Db } from '../db/types.ts';

/**
 * A consultation of the demo organisation's first case (María José Hernández López at Adams, in
 * Spanish, with the demo attorney and interpreter), written directly so tests can hold a call now;
 * real bookings go through the booking rules and their 24-hour lead time.
 */
export async function insertDemoConsultation(
  db: Db,
  options: { startsInMinutes: number; kioskPin: string; status?: 'SCHEDULED' | 'CANCELLED' },
): Promise<string> {
  const facility = await db.facility.findFirstOrThrow({ where: { code: 'ADAMS' } });
  const attorney = await db.user.findUniqueOrThrow({ where: { email: 'attorney@parley.demo' } });
  const interpreter = await db.user.findUniqueOrThrow({ where: { email: 'interpreter@parley.demo' } });
  const kase = await db.case.findFirstOrThrow({ where: { client: { aNumber: '208114572' } } });
  const startsAt = new Date(Date.now() + options.startsInMinutes * 60_000);
  const row = await db.consultation.create({
    data: {
      organizationId: facility.organizationId,
      caseId: kase.id,
      clientId: kase.clientId,
      facilityId: facility.id,
      attorneyId: attorney.id,
      interpreterId: interpreter.id,
      language: 'es',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 60 * 60_000),
      kioskPin: options.kioskPin,
      createdById: attorney.id,
      status: options.status ?? 'SCHEDULED',
    },
    select: { id: true },
  });
  return row.id;
}
