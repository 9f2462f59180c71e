import type { Db } from '../db/types.ts';
import type { PhoneRole } from './phonePins.ts';

/** A dial-out waiting for its call to start, as stored (the number sealed). */
export interface ScheduledDialOutRow {
  id: string;
  organizationId: string;
  consultationId: string;
  role: PhoneRole;
  numberSealed: string;
  numberEnding: number;
  requestedById: string;
  requestedRole: string;
  dueAt: Date;
}

const SELECT = {
  id: true,
  organizationId: true,
  consultationId: true,
  role: true,
  numberSealed: true,
  numberEnding: true,
  requestedById: true,
  requestedRole: true,
  dueAt: true,
} as const;

/** Where scheduled dial-outs are kept between the request and the call's start (any node rings them). */
export class ScheduledDialOutRepository {
  constructor(private readonly db: Db) {}

  /**
   * Keeps `row`, replacing the seat's earlier request if there is one; returns the replaced id so
   * its timer can be dropped (on another node it finds its row gone and does nothing).
   */
  async save(row: ScheduledDialOutRow): Promise<string | null> {
    return this.db.$transaction(async (tx) => {
      const previous = await tx.scheduledDialOut.findUnique({
        where: { consultationId_role: { consultationId: row.consultationId, role: row.role } },
        select: { id: true },
      });
      if (previous) await tx.scheduledDialOut.delete({ where: { id: previous.id } });
      await tx.scheduledDialOut.create({ data: row });
      return previous?.id ?? null;
    });
  }

  /**
   * The dial-outs still to ring, soonest first: those due from `since` on (older ones missed their
   * call's start while no node was up; `dropMissed` removes them). Bounded.
   */
  async pending(since: Date): Promise<ScheduledDialOutRow[]> {
    const rows = await this.db.scheduledDialOut.findMany({
      where: { dueAt: { gte: since } },
      select: SELECT,
      orderBy: { dueAt: 'asc' },
      take: 5000,
    });
    return rows as ScheduledDialOutRow[];
  }

  /** Removes the dial-outs due before `before`; returns them (for the session log). */
  async dropMissed(before: Date): Promise<ScheduledDialOutRow[]> {
    const rows = await this.db.scheduledDialOut.findMany({
      where: { dueAt: { lt: before } },
      select: SELECT,
      take: 5000,
    });
    if (rows.length > 0)
      await this.db.scheduledDialOut.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    return rows as ScheduledDialOutRow[];
  }

  /** Takes the dial-out for this node: true for exactly one caller, however many nodes ask. */
  async claim(id: string): Promise<boolean> {
    const { count } = await this.db.scheduledDialOut.deleteMany({ where: { id } });
    return count === 1;
  }

  /** Whether the dial-out is still waiting (not replaced, not claimed, its call not deleted). */
  async exists(id: string): Promise<boolean> {
    return (await this.db.scheduledDialOut.count({ where: { id } })) === 1;
  }
}
