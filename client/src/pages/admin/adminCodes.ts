import type { TFunction } from 'i18next';
import { ADMIN_AUDIT_ACTIONS, type WebhookDeliveryView } from '@parley/shared';

/** What a case-record read is logged as (server: CaseAccessLogRepository's CaseAccessAction). */
export const CASE_ACCESS_ACTIONS = ['CASE_RECORD', 'CASE_NOTE'] as const;

/** Every action the audit page can list: case-record reads, then administration changes. */
export const AUDIT_ACTIONS = [...CASE_ACCESS_ACTIONS, ...ADMIN_AUDIT_ACTIONS] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The delivery log's statuses; a Record so that a status added to the type must be listed here. */
const DELIVERY_STATUSES: Record<WebhookDeliveryView['status'], true> = {
  PENDING: true,
  DELIVERED: true,
  FAILED: true,
};
export const WEBHOOK_DELIVERY_STATUSES = Object.keys(DELIVERY_STATUSES) as WebhookDeliveryView['status'][];

const isAuditAction = (code: string): code is AuditAction =>
  (AUDIT_ACTIONS as readonly string[]).includes(code);

/**
 * An audit entry's action in words, in the reader's language. A code this client does not know (a
 * newer server) is shown as it is rather than hidden. The CSV export keeps the codes.
 */
export function auditActionText(t: TFunction<'admin'>, code: string): string {
  return isAuditAction(code) ? t(`audit.actions.${code}`) : code;
}

/** A webhook delivery's status in words, in the reader's language (the code if unknown). */
export function deliveryStatusText(t: TFunction<'admin'>, status: string): string {
  return Object.hasOwn(DELIVERY_STATUSES, status)
    ? t(`connection.statuses.${status as WebhookDeliveryView['status']}`)
    : status;
}
