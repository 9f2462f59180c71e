import type { Db } from '../../db/types.ts';
import { phonePin, seatHolder, type PhoneRole } from '../phonePins.ts';

/** The phone PIN of `role` in a stored consultation, as Parley hands it out (bound to the seat's holder). */
export async function seatPin(
  db: Db,
  secret: string,
  consultationId: string,
  role: PhoneRole,
): Promise<string> {
  const consultation = await db.consultation.findUniqueOrThrow({
    where: { id: consultationId },
    select: { id: true, attorneyId: true, interpreterId: true, clientId: true },
  });
  const holderId = seatHolder(consultation, role);
  if (holderId === null) throw new Error(`Consultation ${consultationId} has no ${role} seat`);
  return phonePin(secret, consultationId, role, holderId);
}
