import type { Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import {
  ExportFormatSchema,
  ExportRangeQuerySchema,
  IdParamsSchema,
  type ConsultationExportRow,
  type ExportFormat,
  type InterpreterMinutesRow,
} from '@parley/shared';
import type { AppContext } from '../AppContext.ts';
import { caller, requireRole } from '../auth/authMiddleware.ts';
import { CaseRepository } from '../cases/CaseRepository.ts';
import { parseInput } from '../http/validate.ts';
import { SessionLogRepository } from '../sessionLog/SessionLogRepository.ts';
import { summarizeConsultation } from '../sessionLog/summarizeConsultation.ts';
import { NotFoundError } from '../http/AppError.ts';
import { sessionLogFor } from '../sessionLog/sessionLogFor.ts';
import { CaseNoteSendNow } from './CaseNoteSendNow.ts';
import { CaseNoteService } from './CaseNoteService.ts';
import { csvLine } from './csv.ts';
import { ExportRepository, type ExportConsultation } from './ExportRepository.ts';

const FormatParamsSchema = z.object({ format: ExportFormatSchema });
const CaseExportParamsSchema = z.object({ id: z.uuid(), format: ExportFormatSchema });

const CONSULTATION_COLUMNS = [
  'consultationId',
  'caseReference',
  'facility',
  'startsAt',
  'endsAt',
  'status',
  'language',
  'mode',
  'attorney',
  'interpreter',
  'actualStart',
  'actualEnd',
  'durationMinutes',
  'interpreterMinutes',
  'reconnections',
  'qualityWarnings',
] as const satisfies readonly (keyof ConsultationExportRow)[];

/** Writes a chunk, waiting for the socket to drain; fails if the client went away. */
async function writeChunk(res: Response, chunk: string): Promise<void> {
  if (res.destroyed) throw new Error('the client closed the export');
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the client closed the export'));
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

function startDownload(res: Response, format: ExportFormat, name: string): void {
  res.status(200);
  res.setHeader(
    'Content-Type',
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
  );
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * `/api/consultations/:id/case-note`: one consultation as plain text for the case management
 * system. Staff and the case's attorneys; each read is logged.
 */
export function caseNoteRoutes(ctx: AppContext): Router {
  const router = Router();
  const notes = new CaseNoteService(ctx.db);
  router.get('/:id/case-note', requireRole('ADMIN', 'STAFF', 'ATTORNEY'), async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const note = await notes.forReader(caller(req), id);
    res.type('text/plain; charset=utf-8').setHeader('Cache-Control', 'no-store').send(note);
  });

  /** Staff send the case note to the case system now, through the webhook's delivery (and its log). */
  router.post('/:id/case-note/send', requireRole('ADMIN', 'STAFF'), async (req, res) => {
    const { id } = parseInput(IdParamsSchema, req.params, 'consultation id');
    const sendNow = new CaseNoteSendNow(
      ctx.db,
      sessionLogFor(ctx).webhooks,
      ctx.logger.child({ component: 'case-note' }),
      ctx.config.publicUrl,
    );
    res.json(await sendNow.send(caller(req).organizationId, id));
  });
  return router;
}

/**
 * `/api/exports/…`: the organisation's consultations and interpreter minutes for a date range, for
 * grant reports and billing. Staff only; always scoped to the caller's organisation. Rows are read
 * a page at a time (keyset) and written to the response as they come, so a year of data never
 * sits in memory.
 */
export function exportRoutes(ctx: AppContext, options: { pageSize?: number } = {}): Router {
  const router = Router();
  const exportsRepo = new ExportRepository(ctx.db);
  const logs = new SessionLogRepository(ctx.db);
  const cases = new CaseRepository(ctx.db);
  router.use(requireRole('ADMIN', 'STAFF'));

  /** Pages of consultations with their log summaries. */
  async function* summarisedPages(
    organizationId: string,
    filter: { from: string; to: string } | { caseId: string },
  ) {
    const scope = 'caseId' in filter ? filter : { from: new Date(filter.from), to: new Date(filter.to) };
    for await (const page of exportsRepo.consultationPages(organizationId, scope, options.pageSize)) {
      const chains = await logs.chainsOf(
        organizationId,
        page.map((c) => c.id),
      );
      yield page.map((c) => ({ consultation: c, summary: summarizeConsultation(chains.get(c.id) ?? []) }));
    }
  }

  /** Streams consultations as CSV, or as JSON whose first fields are `jsonHead` (then `items`). */
  async function sendConsultations(
    res: Response,
    format: ExportFormat,
    name: string,
    pages: ReturnType<typeof summarisedPages>,
    jsonHead: Record<string, string>,
  ): Promise<void> {
    // The first page is read before any header goes out: a refusal or a failing query is still a
    // proper error response, not a download that starts and then breaks off.
    let page = await pages.next();
    startDownload(res, format, name);
    let first = true;
    await writeChunk(
      res,
      format === 'csv' ? csvLine(CONSULTATION_COLUMNS) : `${JSON.stringify(jsonHead).slice(0, -1)},"items":[`,
    );
    for (; !page.done; page = await pages.next()) {
      const rows = page.value.map(({ consultation, summary }) => toExportRow(consultation, summary));
      if (rows.length === 0) continue;
      if (format === 'csv') {
        await writeChunk(
          res,
          rows.map((row) => csvLine(CONSULTATION_COLUMNS.map((column) => row[column]))).join(''),
        );
      } else {
        await writeChunk(res, `${first ? '' : ','}${rows.map((row) => JSON.stringify(row)).join(',')}`);
        first = false;
      }
    }
    if (format === 'json') await writeChunk(res, ']}');
    res.end();
  }

  router.get('/consultations.:format', async (req, res) => {
    const { format } = parseInput(FormatParamsSchema, req.params, 'export format');
    const { from, to } = parseInput(ExportRangeQuerySchema, req.query, 'export range');
    const { organizationId } = caller(req);
    await sendConsultations(
      res,
      format,
      `consultations-${from.slice(0, 10)}-${to.slice(0, 10)}`,
      summarisedPages(organizationId, { from, to }),
      { from, to },
    );
  });

  /** One case's consultations, all of them (the case page's export buttons). */
  router.get('/cases/:id/consultations.:format', async (req, res) => {
    const { id, format } = parseInput(CaseExportParamsSchema, req.params, 'case export');
    const { organizationId } = caller(req);
    const reference = await exportsRepo.caseReference(organizationId, id);
    if (reference === null) throw new NotFoundError('Case');
    const safeName = reference.replace(/[^A-Za-z0-9_-]/g, '_');
    await sendConsultations(
      res,
      format,
      `consultations-${safeName}`,
      summarisedPages(organizationId, { caseId: id }),
      { caseId: id, caseReference: reference },
    );
  });

  router.get('/interpreter-minutes.:format', async (req, res) => {
    const { format } = parseInput(FormatParamsSchema, req.params, 'export format');
    const { from, to } = parseInput(ExportRangeQuerySchema, req.query, 'export range');
    const { organizationId } = caller(req);
    // One entry per interpreter: memory grows with the roster, not with the range.
    const totals = new Map<string, { consultations: number; seconds: number; minutes: number }>();
    for await (const page of summarisedPages(organizationId, { from, to })) {
      for (const { summary } of page) {
        for (const p of summary.participants) {
          if (p.role !== 'INTERPRETER') continue;
          const total = totals.get(p.participantId) ?? { consultations: 0, seconds: 0, minutes: 0 };
          total.consultations++;
          total.seconds += p.connectedSeconds;
          // Billed per call, rounded up, as the summary does.
          total.minutes += Math.ceil(p.connectedSeconds / 60);
          totals.set(p.participantId, total);
        }
      }
    }
    const names = await cases.userNames(organizationId, [...totals.keys()]);
    const rows: InterpreterMinutesRow[] = [...totals.entries()]
      .map(([interpreterId, t]) => ({
        interpreterId,
        interpreter: names.get(interpreterId) ?? 'Unknown interpreter',
        consultations: t.consultations,
        interpreterMinutes: t.minutes,
      }))
      .sort(
        (a, b) =>
          a.interpreter.localeCompare(b.interpreter) || a.interpreterId.localeCompare(b.interpreterId),
      );
    startDownload(res, format, `interpreter-minutes-${from.slice(0, 10)}-${to.slice(0, 10)}`);
    if (format === 'json') {
      res.end(JSON.stringify({ from, to, items: rows }));
      return;
    }
    const columns = ['interpreterId', 'interpreter', 'consultations', 'interpreterMinutes'] as const;
    res.end([csvLine(columns), ...rows.map((row) => csvLine(columns.map((c) => row[c])))].join(''));
  });

  return router;
}

function toExportRow(
  c: ExportConsultation,
  summary: ReturnType<typeof summarizeConsultation>,
): ConsultationExportRow {
  return {
    consultationId: c.id,
    caseReference: c.case.reference,
    facility: c.facility.name,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    status: c.status,
    language: c.language,
    mode: c.mode,
    attorney: c.attorney.name,
    interpreter: c.interpreter?.name ?? null,
    actualStart: summary.actualStart,
    actualEnd: summary.actualEnd,
    durationMinutes: summary.durationSeconds === null ? null : Math.round(summary.durationSeconds / 60),
    interpreterMinutes: summary.interpreterMinutes,
    reconnections: summary.reconnections,
    qualityWarnings: summary.qualityWarnings,
  };
}
