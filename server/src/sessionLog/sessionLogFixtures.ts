/**
 * Test fixtures for the session log: a consultation on a demo case, booked straight into the
 * database (the booking rules are scheduling's to test), and the events of a realistic call.
 * Used by integration tests and by e2e/case-record.spec.ts.
 */
import type { Db } from '../db/types.ts';
import { appendSessionEvent, type NewSessionEvent } from './appendSessionEvent.ts';

export interface SeededConsultation {
  id: string;
  organizationId: string;
  caseId: string;
  attorneyId: string;
  interpreterId: string | null;
  startsAt: Date;
  endsAt: Date;
}

/** Books a consultation on the case with `caseReference`, logged with a CONSULTATION_SCHEDULED event. */
export async function seedConsultation(
  db: Db,
  options: {
    caseReference: string;
    interpreterEmail?: string | null;
    startsAt: Date;
    minutes?: number;
    kioskPin?: string;
  },
): Promise<SeededConsultation> {
  const theCase = await db.case.findFirstOrThrow({
    where: { reference: options.caseReference },
    select: {
      id: true,
      organizationId: true,
      clientId: true,
      client: { select: { facilityId: true, preferredLanguage: true } },
      attorneys: { select: { attorneyId: true }, take: 1 },
    },
  });
  const interpreter = options.interpreterEmail
    ? await db.user.findUniqueOrThrow({ where: { email: options.interpreterEmail }, select: { id: true } })
    : null;
  const staff = await db.user.findFirstOrThrow({
    where: { organizationId: theCase.organizationId, role: 'STAFF' },
    select: { id: true },
  });
  const attorneyId = theCase.attorneys[0]!.attorneyId;
  const facilityId = theCase.client.facilityId!;
  const startsAt = options.startsAt;
  const endsAt = new Date(startsAt.getTime() + (options.minutes ?? 60) * 60_000);
  return db.$transaction(async (tx) => {
    const consultation = await tx.consultation.create({
      data: {
        organizationId: theCase.organizationId,
        caseId: theCase.id,
        clientId: theCase.clientId,
        facilityId,
        attorneyId,
        interpreterId: interpreter?.id ?? null,
        language: theCase.client.preferredLanguage,
        startsAt,
        endsAt,
        kioskPin: options.kioskPin ?? String(100000 + Math.floor(Math.random() * 900000)),
        createdById: staff.id,
      },
      select: { id: true },
    });
    await appendSessionEvent(tx, {
      organizationId: theCase.organizationId,
      consultationId: consultation.id,
      type: 'CONSULTATION_SCHEDULED',
      actorUserId: staff.id,
      actorRole: 'STAFF',
      occurredAt: new Date(startsAt.getTime() - 3 * 86_400_000),
      payload: {
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        facilityId,
        attorneyId,
        interpreterId: interpreter?.id ?? null,
        language: theCase.client.preferredLanguage,
        mode: 'CONSECUTIVE',
      },
    });
    return {
      id: consultation.id,
      organizationId: theCase.organizationId,
      caseId: theCase.id,
      attorneyId,
      interpreterId: interpreter?.id ?? null,
      startsAt,
      endsAt,
    };
  });
}

/**
 * A 40-minute call: the attorney and interpreter join, the client joins from the kiosk, the client
 * drops for 30 s and reconnects, one quality warning, simultaneous interpretation for a while, then
 * the attorney ends the call. Times are minutes after `startsAt`.
 */
export function callEvents(c: SeededConsultation): NewSessionEvent[] {
  const at = (minutes: number) => new Date(c.startsAt.getTime() + minutes * 60_000);
  const client = `client:${c.id}`;
  const base = { organizationId: c.organizationId, consultationId: c.id };
  const interpreter = c.interpreterId!;
  return [
    { ...base, type: 'CALL_STARTED', occurredAt: at(0), payload: { mode: 'CONSECUTIVE' } },
    {
      ...base,
      type: 'PARTICIPANT_JOINED',
      actorUserId: c.attorneyId,
      actorRole: 'ATTORNEY',
      occurredAt: at(0),
      payload: { participantId: c.attorneyId, role: 'ATTORNEY', device: 'BROWSER' },
    },
    {
      ...base,
      type: 'PARTICIPANT_JOINED',
      actorUserId: interpreter,
      actorRole: 'INTERPRETER',
      occurredAt: at(1),
      payload: { participantId: interpreter, role: 'INTERPRETER', device: 'BROWSER' },
    },
    {
      ...base,
      type: 'PARTICIPANT_JOINED',
      actorRole: 'CLIENT',
      occurredAt: at(2),
      payload: { participantId: client, role: 'CLIENT', device: 'KIOSK' },
    },
    {
      ...base,
      type: 'PARTICIPANT_LEFT',
      actorRole: 'CLIENT',
      occurredAt: at(10),
      payload: { participantId: client, role: 'CLIENT', reason: 'CONNECTION_LOST' },
    },
    {
      ...base,
      type: 'PARTICIPANT_RECONNECTED',
      actorRole: 'CLIENT',
      occurredAt: at(10.5),
      payload: { participantId: client, role: 'CLIENT', offlineMs: 30_000 },
    },
    {
      ...base,
      type: 'QUALITY_WARNING',
      occurredAt: at(12),
      payload: { participantId: client, role: 'CLIENT', lossPct: 8, jitterMs: 45, rttMs: 420 },
    },
    {
      ...base,
      type: 'ROUTING_CHANGED',
      actorUserId: interpreter,
      actorRole: 'INTERPRETER',
      occurredAt: at(15),
      payload: { mode: 'SIMULTANEOUS', direction: { from: 'en', to: 'es' } },
    },
    {
      ...base,
      type: 'ROUTING_CHANGED',
      actorUserId: interpreter,
      actorRole: 'INTERPRETER',
      occurredAt: at(25),
      payload: { mode: 'CONSECUTIVE', direction: null },
    },
    {
      ...base,
      type: 'CALL_ENDED',
      actorUserId: c.attorneyId,
      actorRole: 'ATTORNEY',
      occurredAt: at(40),
      payload: { reason: 'ENDED_BY_ATTORNEY' },
    },
  ];
}
