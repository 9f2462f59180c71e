import { EARLY_JOIN_MS } from '../calls/callAccess.ts';
import type { Db } from '../db/types.ts';
import type { PhoneSeats } from './phonePins.ts';

/** What the phone gateway reads: the calls a phone PIN may open now. */
export class PhoneRepository {
  constructor(private readonly db: Db) {}

  /**
   * Consultations open for joining at `now`, across organisations (a phone call names no
   * organisation until its PIN does): ids and the seats that exist. Bounded: the next 2 000.
   */
  openConsultations(now: Date): Promise<(PhoneSeats & { organizationId: string })[]> {
    return this.db.consultation.findMany({
      where: {
        status: { in: ['SCHEDULED', 'IN_PROGRESS'] },
        startsAt: { lte: new Date(now.getTime() + EARLY_JOIN_MS) },
        endsAt: { gt: now },
      },
      select: { id: true, organizationId: true, attorneyId: true, interpreterId: true, clientId: true },
      orderBy: { startsAt: 'asc' },
      take: 2000,
    });
  }

  /**
   * Whether the person a PIN's seat stands for may still take it: an active user of the
   * organisation. A PIN is bound to the seat's holder, but a deactivated attorney or interpreter
   * still holding their seat would otherwise be seated by phone.
   */
  async isActiveUser(organizationId: string, userId: string): Promise<boolean> {
    const user = await this.db.user.findFirst({
      where: { id: userId, organizationId, active: true },
      select: { id: true },
    });
    return user !== null;
  }
}
