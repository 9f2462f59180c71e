import type { Logger } from '../logger.ts';
import type { NumberSeal } from './numberSeal.ts';
import type { PhoneRole } from './phonePins.ts';
import type { ScheduledDialOutRepository, ScheduledDialOutRow } from './ScheduledDialOutRepository.ts';

/** A stored dial-out whose time has come, with its number opened. */
export interface DueDialOut extends Omit<ScheduledDialOutRow, 'numberSealed'> {
  number: string;
}

/** What a request to ring a seat when its call starts carries. */
export interface DialOutToSchedule {
  id: string;
  organizationId: string;
  consultationId: string;
  role: PhoneRole;
  number: string;
  numberEnding: number;
  requestedBy: { userId: string; role: string };
  dueAt: Date;
}

export interface ScheduledDialOutsDeps {
  repository: ScheduledDialOutRepository;
  seal: NumberSeal;
  logger: Logger;
  /**
   * The time came: ring it if this node holds (or may take) the call, calling `claim` first — only
   * one node's claim succeeds. A node that may not ring it (the call is held elsewhere) leaves the
   * row to the node that holds the call, which has its own timer.
   */
  ring: (due: DueDialOut, claim: () => Promise<boolean>) => Promise<void>;
  /** A dial-out that could not be rung: its call's start passed while no node was up, or its seal does not open. */
  missed: (row: ScheduledDialOutRow, why: 'NOT_OPEN' | 'ERROR') => void;
}

/** Rows due longer ago than this missed their call's start (no node was up): logged, not rung. */
export const MISSED_AFTER_MS = 5 * 60_000;
/** How often each node looks for dial-outs stored by other nodes since it started. */
export const REFRESH_MS = 30_000;

/**
 * Dial-outs waiting for their call to start (issue 13), kept in the database so a restart or
 * another node still rings them: every node arms a timer for each stored dial-out due soon, and at
 * its time the node that holds the call takes the row (a delete only one node can win) and rings.
 * The number is sealed at rest (NumberSeal), bound to its consultation and seat.
 */
export class ScheduledDialOuts {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private refresher: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly deps: ScheduledDialOutsDeps) {}

  /** The row's associated data: a sealed number opens only on its own consultation and seat. */
  static boundTo(row: { consultationId: string; role: string }): string {
    return `${row.consultationId}|${row.role}`;
  }

  /** Logs the dial-outs that were missed while nobody was up, arms the others, then keeps looking. */
  async start(now = new Date()): Promise<void> {
    const missed = await this.deps.repository.dropMissed(new Date(now.getTime() - MISSED_AFTER_MS));
    for (const row of missed) this.deps.missed(row, 'NOT_OPEN');
    await this.refresh(now);
    this.refresher = setInterval(() => {
      this.refresh().catch((err: unknown) =>
        this.deps.logger.warn({ err }, 'could not read the scheduled dial-outs'),
      );
    }, REFRESH_MS);
    this.refresher.unref();
  }

  /** Stores a dial-out (replacing the seat's earlier one) and arms its timer here. */
  async schedule(request: DialOutToSchedule): Promise<void> {
    const row: ScheduledDialOutRow = {
      id: request.id,
      organizationId: request.organizationId,
      consultationId: request.consultationId,
      role: request.role,
      numberSealed: this.deps.seal.seal(request.number, ScheduledDialOuts.boundTo(request)),
      numberEnding: request.numberEnding,
      requestedById: request.requestedBy.userId,
      requestedRole: request.requestedBy.role,
      dueAt: request.dueAt,
    };
    const replaced = await this.deps.repository.save(row);
    if (replaced) this.disarm(replaced);
    this.arm(row);
  }

  /** The dial-outs armed on this node (for tests and logs). */
  get armed(): number {
    return this.timers.size;
  }

  /** Drops this node's timers; the rows stay for the next start or another node. Idempotent. */
  close(): void {
    this.closed = true;
    if (this.refresher) clearInterval(this.refresher);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async refresh(now = new Date()): Promise<void> {
    const rows = await this.deps.repository.pending(new Date(now.getTime() - MISSED_AFTER_MS));
    for (const row of rows) this.arm(row);
  }

  private arm(row: ScheduledDialOutRow): void {
    if (this.closed || this.timers.has(row.id)) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(row.id);
        this.fire(row).catch((err: unknown) =>
          this.deps.logger.error({ err, dialOutId: row.id }, 'a scheduled dial-out failed'),
        );
      },
      Math.max(0, row.dueAt.getTime() - Date.now()),
    );
    timer.unref();
    this.timers.set(row.id, timer);
  }

  private disarm(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  private async fire(row: ScheduledDialOutRow): Promise<void> {
    if (this.closed || !(await this.deps.repository.exists(row.id))) return;
    const number = this.deps.seal.open(row.numberSealed, ScheduledDialOuts.boundTo(row));
    if (number === null) {
      // Sealed under another secret (SIP_PIN_SECRET or JWT_SECRET changed): it cannot be rung.
      if (await this.deps.repository.claim(row.id)) this.deps.missed(row, 'ERROR');
      return;
    }
    const { numberSealed: _sealed, ...rest } = row;
    await this.deps.ring({ ...rest, number }, () => this.deps.repository.claim(row.id));
  }
}
