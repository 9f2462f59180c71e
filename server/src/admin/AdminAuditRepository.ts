import type { AdminAuditAction, AuditEntry, AuditQuery, AuditTargetType, Page } from '@parley/shared';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/types.ts';

/** One admin change to record. `details` must never hold passwords, tokens or secrets. */
export interface AdminChange {
  organizationId: string;
  actorUserId: string | null;
  action: AdminAuditAction;
  targetType: AuditTargetType;
  targetId: string | null;
  details?: Record<string, string | number | boolean | null | string[]>;
}

type Client = Db | Prisma.TransactionClient;

/** The admin audit log (append-only: the database refuses changes) and the audit screen's reads. */
export class AdminAuditRepository {
  constructor(private readonly db: Db) {}

  /** Records a change; pass the transaction the change itself runs in, so both happen or neither. */
  async record(change: AdminChange, client: Client = this.db): Promise<void> {
    await client.adminAuditEvent.create({
      data: {
        organizationId: change.organizationId,
        actorUserId: change.actorUserId,
        action: change.action,
        targetType: change.targetType,
        targetId: change.targetId,
        details: change.details ?? {},
      },
      select: { id: true },
    });
  }

  /**
   * The admin changes and case-record reads of an organisation, newest first. The two logs are
   * merged in SQL order by time, so paging stays exact.
   */
  async list(organizationId: string, query: AuditQuery): Promise<Page<AuditEntry>> {
    const from = query.from ? new Date(`${query.from}T00:00:00Z`) : undefined;
    const to = query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + 24 * 3600 * 1000) : undefined;
    const time = from || to ? { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } : undefined;
    const wantAdmin = query.kind !== 'CASE_ACCESS';
    const wantAccess = query.kind !== 'ADMIN';
    const adminWhere: Prisma.AdminAuditEventWhereInput = {
      organizationId,
      ...(query.actorId ? { actorUserId: query.actorId } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(time ? { occurredAt: time } : {}),
    };
    const accessWhere: Prisma.CaseAccessLogWhereInput = {
      organizationId,
      ...(query.actorId ? { userId: query.actorId } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(time ? { accessedAt: time } : {}),
    };
    // Each log's first offset+limit rows are enough to cut the merged page from.
    const take = query.offset + query.limit;
    const [adminRows, adminTotal, accessRows, accessTotal] = await Promise.all([
      wantAdmin
        ? this.db.adminAuditEvent.findMany({
            where: adminWhere,
            orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
            take,
            select: {
              id: true,
              occurredAt: true,
              action: true,
              targetType: true,
              targetId: true,
              details: true,
              actor: { select: { id: true, name: true, email: true } },
            },
          })
        : [],
      wantAdmin ? this.db.adminAuditEvent.count({ where: adminWhere }) : 0,
      wantAccess
        ? this.db.caseAccessLog.findMany({
            where: accessWhere,
            orderBy: [{ accessedAt: 'desc' }, { id: 'desc' }],
            take,
            select: {
              id: true,
              accessedAt: true,
              action: true,
              case: { select: { reference: true } },
              user: { select: { id: true, name: true, email: true } },
            },
          })
        : [],
      wantAccess ? this.db.caseAccessLog.count({ where: accessWhere }) : 0,
    ]);
    const entries: AuditEntry[] = [
      ...adminRows.map((row): AuditEntry => ({
        id: row.id,
        kind: 'ADMIN',
        occurredAt: row.occurredAt.toISOString(),
        actor: row.actor,
        action: row.action,
        target: describeTarget(row.targetType, row.details),
        details: isRecord(row.details) ? row.details : {},
      })),
      ...accessRows.map((row): AuditEntry => ({
        id: row.id,
        kind: 'CASE_ACCESS',
        occurredAt: row.accessedAt.toISOString(),
        actor: row.user,
        action: row.action,
        target: `Case ${row.case.reference}`,
        details: {},
      })),
    ].sort((a, b) =>
      a.occurredAt === b.occurredAt ? (a.id < b.id ? 1 : -1) : a.occurredAt < b.occurredAt ? 1 : -1,
    );
    return {
      items: entries.slice(query.offset, query.offset + query.limit),
      total: adminTotal + accessTotal,
      limit: query.limit,
      offset: query.offset,
    };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TARGET_NAMES: Record<string, string> = {
  USER: 'User',
  INVITE: 'Invite',
  FACILITY: 'Facility',
  KIOSK_DEVICE: 'Kiosk',
  WEBHOOK: 'Case-system connection',
};

/** "User ana@example.org", "Facility ADAMS": the `label` detail names what was changed. */
function describeTarget(targetType: string, details: unknown): string {
  const name = TARGET_NAMES[targetType] ?? targetType;
  const label = isRecord(details) && typeof details.label === 'string' ? details.label : '';
  return label ? `${name} ${label}` : name;
}
