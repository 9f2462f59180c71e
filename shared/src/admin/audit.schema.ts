import { z } from 'zod';
import { PageQuerySchema } from '../common.schema.ts';
import { LocalDateSchema } from '../time.schema.ts';

/** What the admin audit log records. */
export const ADMIN_AUDIT_ACTIONS = [
  'USER_INVITED',
  'INVITE_REVOKED',
  'INVITE_ACCEPTED',
  'USER_UPDATED',
  'USER_DEACTIVATED',
  'USER_REACTIVATED',
  'PASSWORD_RESET_ISSUED',
  'PASSWORD_RESET_BY_LINK',
  'USER_UNLOCKED',
  'FACILITY_CREATED',
  'FACILITY_UPDATED',
  'FACILITY_CONTACT_UPDATED',
  'BLACKOUT_ADDED',
  'BLACKOUT_REMOVED',
  'KIOSK_REGISTERED',
  'KIOSK_REVOKED',
  'KIOSK_RENAMED',
  'KIOSK_SETTINGS_UPDATED',
  'KIOSK_PROMPT_RECORDED',
  'KIOSK_PROMPT_REMOVED',
  'WEBHOOK_SAVED',
  'WEBHOOK_REMOVED',
  'WEBHOOK_SECRET_ROTATED',
  'WEBHOOK_TEST_SENT',
  'WEBHOOK_DELIVERY_RETRIED',
  'SCHEDULING_SETTINGS_UPDATED',
  'CLIENT_TRANSFERRED',
] as const;
export const AdminAuditActionSchema = z.enum(ADMIN_AUDIT_ACTIONS);
export type AdminAuditAction = z.infer<typeof AdminAuditActionSchema>;

export const AUDIT_TARGET_TYPES = [
  'USER',
  'INVITE',
  'FACILITY',
  'KIOSK_DEVICE',
  'WEBHOOK',
  'ORGANIZATION',
  'CLIENT',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** Which log: reads of case records, admin changes, or both. */
export const AuditKindSchema = z.enum(['ALL', 'CASE_ACCESS', 'ADMIN']);
export type AuditKind = z.infer<typeof AuditKindSchema>;

/** The bounded date vocabulary: YYYY-MM-DD from 2000-01-01 to 2099-12-31 (issue 11). */
const DateOnlySchema = LocalDateSchema;

export const AuditQuerySchema = PageQuerySchema.extend({
  kind: AuditKindSchema.default('ALL'),
  /** Only what this person did. */
  actorId: z.uuid().optional(),
  /** One action (an admin action, CASE_RECORD or CASE_NOTE). */
  action: z
    .string()
    .regex(/^[A-Z_]{3,40}$/)
    .optional(),
  /** UTC dates, inclusive. */
  from: DateOnlySchema.optional(),
  to: DateOnlySchema.optional(),
})
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" is after "to"', path: ['from'] });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** One line of the audit screen: who did what, to what, when. */
export interface AuditEntry {
  id: string;
  kind: 'CASE_ACCESS' | 'ADMIN';
  occurredAt: string;
  actor: { id: string; name: string; email: string } | null;
  action: string;
  /** What was read or changed, e.g. "Case MS-2026-0142" or "User ana@example.org". */
  target: string;
  /** Changed fields and non-secret values; never passwords, tokens or secrets. */
  details: Record<string, unknown>;
}
