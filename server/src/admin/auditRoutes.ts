import { Router } from 'express';
import { AuditQuerySchema, type AuditEntry } from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { csvLine } from '../exports/csv.ts';
import { parseInput } from '../http/validate.ts';
import { AdminAuditRepository } from './AdminAuditRepository.ts';

/** Most rows one CSV export holds; narrow the dates for more. */
export const AUDIT_CSV_MAX_ROWS = 10_000;
const CSV_COLUMNS = ['occurredAt', 'kind', 'actorName', 'actorEmail', 'action', 'target', 'details'] as const;

function csvRow(entry: AuditEntry): (string | null)[] {
  return [
    entry.occurredAt,
    entry.kind,
    entry.actor?.name ?? null,
    entry.actor?.email ?? null,
    entry.action,
    entry.target,
    Object.keys(entry.details).length > 0 ? JSON.stringify(entry.details) : null,
  ];
}

/** `/api/admin/audit`: who read which case record and who changed what in the admin area. */
export function auditRoutes(ctx: AppContext): Router {
  const router = Router();
  const audit = new AdminAuditRepository(ctx.db);
  router.use(requireRole('ADMIN'));

  router.get('/audit', async (req, res) => {
    const query = parseInput(AuditQuerySchema, req.query, 'audit query');
    res.json(await audit.list(caller(req).organizationId, query));
  });

  /** The same filters as a CSV file (without paging, up to AUDIT_CSV_MAX_ROWS rows). */
  router.get('/audit.csv', async (req, res) => {
    const query = parseInput(AuditQuerySchema, { ...req.query, limit: 1, offset: 0 }, 'audit query');
    const page = await audit.list(caller(req).organizationId, {
      ...query,
      limit: AUDIT_CSV_MAX_ROWS,
      offset: 0,
    });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="parley-audit.csv"');
    res.end([csvLine(CSV_COLUMNS), ...page.items.map((entry) => csvLine(csvRow(entry)))].join(''));
  });

  return router;
}
