import { createHash } from 'node:crypto';
import type { Prisma } from '../generated/prisma/client.ts';

/**
 * The one way to write a SessionEvent. Each consultation's events form a hash chain: `seq` counts
 * from 1 and `hash` = SHA-256(prevHash + canonical JSON of the event), so a changed, removed or
 * reordered row breaks every hash after it. Payloads are metadata only: never content.
 */

/** prevHash of a consultation's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export type SessionEventPayload = Record<string, string | number | boolean | null | string[]>;

export interface SessionEventInput {
  organizationId: string;
  consultationId: string;
  type: string;
  actorUserId: string | null;
  actorRole: string | null;
  occurredAt: Date;
  payload: SessionEventPayload;
}

export interface ChainedSessionEvent extends SessionEventInput {
  seq: number;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level, so equal events always hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of an event given its predecessor's hash. */
export function sessionEventHash(prevHash: string, event: SessionEventInput & { seq: number }): string {
  const body = canonicalJson({
    organizationId: event.organizationId,
    consultationId: event.consultationId,
    seq: event.seq,
    type: event.type,
    actorUserId: event.actorUserId,
    actorRole: event.actorRole,
    occurredAt: event.occurredAt.toISOString(),
    payload: event.payload,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** The first seq whose hash or link does not hold, or null when the chain is intact. */
export function findBrokenLink(events: readonly ChainedSessionEvent[]): number | null {
  let prevHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    if (event.seq !== index + 1 || event.prevHash !== prevHash) return event.seq;
    if (sessionEventHash(prevHash, event) !== event.hash) return event.seq;
    prevHash = event.hash;
  }
  return null;
}

/** Stable 64-bit advisory lock key for a consultation's log (signed, as PostgreSQL wants). */
function logLockKey(consultationId: string): string {
  return createHash('sha256').update(`session-log:${consultationId}`).digest().readBigInt64BE(0).toString();
}

/**
 * Appends an event inside the caller's transaction. A transaction-scoped advisory lock on the
 * consultation's log serialises concurrent appenders, so seq and prevHash are read fresh.
 */
export async function appendSessionEvent(
  tx: Prisma.TransactionClient,
  event: SessionEventInput,
): Promise<ChainedSessionEvent> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${logLockKey(event.consultationId)}::bigint)`;
  const last = await tx.sessionEvent.findFirst({
    where: { consultationId: event.consultationId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = sessionEventHash(prevHash, { ...event, seq });
  await tx.sessionEvent.create({
    data: {
      organizationId: event.organizationId,
      consultationId: event.consultationId,
      seq,
      type: event.type,
      actorUserId: event.actorUserId,
      actorRole: event.actorRole,
      occurredAt: event.occurredAt,
      payload: event.payload,
      prevHash,
      hash,
    },
    select: { id: true },
  });
  return { ...event, seq, prevHash, hash };
}
