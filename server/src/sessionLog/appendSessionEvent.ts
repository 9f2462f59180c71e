import { createHash, randomUUID } from 'node:crypto';
import { SessionEventBodySchema } from '@parley/shared';
import type { Prisma } from '../generated/prisma/client.ts';

/**
 * The one way to write a SessionEvent. Each consultation's events form a hash chain: `seq` counts
 * from 1 and `hash` = SHA-256(prevHash + canonical JSON of the event), so a changed, removed or
 * reordered row breaks every hash after it. Payloads are metadata only: never content.
 */

/** prevHash of a consultation's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export type SessionEventJson =
  string | number | boolean | null | SessionEventJson[] | { [key: string]: SessionEventJson };
export type SessionEventPayload = { [key: string]: SessionEventJson };

export interface SessionEventInput {
  /**
   * The row's id. The SessionLogWriter sets it when an event is recorded, so a batch retried after
   * an unknown outcome (the commit landed, its acknowledgement did not) is recognised, not doubled.
   */
  id?: string;
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

/** What callers pass: actor and time may be left out (the system, now). */
export type NewSessionEvent = Omit<SessionEventInput, 'actorUserId' | 'actorRole' | 'occurredAt'> & {
  actorUserId?: string | null;
  actorRole?: string | null;
  occurredAt?: Date;
};

/** An event whose type or payload is not in the session log's vocabulary (shared/src/sessionLog). */
export class InvalidSessionEventError extends Error {
  constructor(
    readonly type: string,
    readonly issues: string[],
  ) {
    super(`Refused a ${type} session event: ${issues.join('; ')}`);
    this.name = 'InvalidSessionEventError';
  }
}

/**
 * Checks the event against the shared schema (metadata only, strict payloads) and fills in the
 * defaults. Throws InvalidSessionEventError: a bad event is a programming error, never stored.
 */
export function normalizeSessionEvent(event: NewSessionEvent): SessionEventInput {
  const parsed = SessionEventBodySchema.safeParse({ type: event.type, payload: event.payload });
  if (!parsed.success) {
    throw new InvalidSessionEventError(
      event.type,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`),
    );
  }
  return {
    ...(event.id ? { id: event.id } : {}),
    organizationId: event.organizationId,
    consultationId: event.consultationId,
    type: event.type,
    actorUserId: event.actorUserId ?? null,
    actorRole: event.actorRole ?? null,
    occurredAt: event.occurredAt ?? new Date(),
    payload: event.payload,
  };
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
  event: NewSessionEvent,
): Promise<ChainedSessionEvent> {
  const [chained] = await appendSessionEvents(tx, [event]);
  return chained!;
}

/**
 * Appends events, in the order given, inside the caller's transaction, in three statements
 * whatever the batch holds: lock every consultation's log, read every chain's head, insert every
 * row. The SessionLogWriter flushes its batches here.
 */
export async function appendSessionEvents(
  tx: Prisma.TransactionClient,
  events: readonly NewSessionEvent[],
): Promise<ChainedSessionEvent[]> {
  const normalized = events.map(normalizeSessionEvent);
  if (normalized.length === 0) return [];
  const consultationIds = [...new Set(normalized.map((e) => e.consultationId))].sort();
  // Keys are locked in ascending order, so two batches touching the same logs cannot deadlock.
  const keys = consultationIds.map(logLockKey).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  await tx.$queryRaw`
    SELECT count(*)::int AS locked
    FROM (SELECT key FROM unnest(${keys}::bigint[]) AS key ORDER BY key) AS ordered,
         LATERAL pg_advisory_xact_lock(ordered.key)`;
  const heads = await tx.$queryRaw<{ consultationId: string; seq: number; hash: string }[]>`
    SELECT DISTINCT ON ("consultationId") "consultationId"::text AS "consultationId", "seq", "hash"
    FROM "SessionEvent"
    WHERE "consultationId" = ANY(${consultationIds}::uuid[])
    ORDER BY "consultationId", "seq" DESC`;
  const head = new Map(heads.map((h) => [h.consultationId, { seq: h.seq, hash: h.hash }]));

  const chained: ChainedSessionEvent[] = normalized.map((event) => {
    const last = head.get(event.consultationId) ?? { seq: 0, hash: GENESIS_HASH };
    const seq = last.seq + 1;
    const hash = sessionEventHash(last.hash, { ...event, seq });
    head.set(event.consultationId, { seq, hash });
    return { ...event, seq, prevHash: last.hash, hash };
  });
  // One INSERT of column arrays: far less work per row than a many-row VALUES list through Prisma.
  const ids = chained.map((row) => row.id ?? randomUUID());
  await tx.$executeRaw`
    INSERT INTO "SessionEvent"
      ("id", "organizationId", "consultationId", "seq", "type", "actorUserId", "actorRole",
       "occurredAt", "payload", "prevHash", "hash")
    SELECT * FROM unnest(
      ${ids}::uuid[],
      ${chained.map((r) => r.organizationId)}::uuid[],
      ${chained.map((r) => r.consultationId)}::uuid[],
      ${chained.map((r) => r.seq)}::int[],
      ${chained.map((r) => r.type)}::text[],
      ${chained.map((r) => r.actorUserId)}::uuid[],
      ${chained.map((r) => r.actorRole)}::text[],
      ${chained.map((r) => r.occurredAt.toISOString())}::timestamptz[],
      ${chained.map((r) => JSON.stringify(r.payload))}::jsonb[],
      ${chained.map((r) => r.prevHash)}::text[],
      ${chained.map((r) => r.hash)}::text[]
    )`;
  return chained;
}
