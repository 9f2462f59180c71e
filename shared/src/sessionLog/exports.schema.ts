import { z } from 'zod';
import { InstantSchema } from '../time.schema.ts';
import type { CallAttestation } from './attestation.schema.ts';

const DAY_MS = 86_400_000;
/** A year and a bit: enough for an annual grant report, small enough to stream in minutes. */
export const MAX_EXPORT_RANGE_DAYS = 400;

/** `?from&to` of the exports: consultations whose booked start is in [from, to). */
export const ExportRangeQuerySchema = z
  .object({ from: InstantSchema, to: InstantSchema })
  .strict()
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'to must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_EXPORT_RANGE_DAYS * DAY_MS, {
    message: `At most ${MAX_EXPORT_RANGE_DAYS} days per export`,
    path: ['to'],
  });
export type ExportRangeQuery = z.infer<typeof ExportRangeQuerySchema>;

export const ExportFormatSchema = z.enum(['csv', 'json']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** One row of GET /api/exports/consultations.{csv,json}: metadata only, no client name. */
export interface ConsultationExportRow {
  consultationId: string;
  caseReference: string;
  facility: string;
  startsAt: string;
  endsAt: string;
  status: string;
  language: string;
  mode: string;
  attorney: string;
  interpreter: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  durationMinutes: number | null;
  interpreterMinutes: number;
  reconnections: number;
  qualityWarnings: number;
}

/** One row of GET /api/exports/interpreter-minutes.{csv,json}. */
export interface InterpreterMinutesRow {
  interpreterId: string;
  interpreter: string;
  consultations: number;
  interpreterMinutes: number;
}

/** PUT /api/webhooks: the organisation's case-note webhook. */
export const WebhookConfigRequestSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    /** The HMAC-SHA256 key the receiver checks signatures with. */
    secret: z.string().min(24, 'Use at least 24 characters').max(200),
    active: z.boolean().default(true),
  })
  .strict();
export type WebhookConfigRequest = z.infer<typeof WebhookConfigRequestSchema>;

/** The webhook as GET /api/webhooks shows it: the secret is never sent back. */
export interface WebhookView {
  url: string;
  active: boolean;
  secretSet: true;
  createdAt: string;
  updatedAt: string;
}

export const WebhookDeliveryQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();

export interface WebhookDeliveryView {
  id: string;
  /** Null for test events sent from the admin screen. */
  consultationId: string | null;
  event: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/**
 * The body Parley posts when a consultation ends. `note` follows the common shape of case
 * management notes APIs (LegalServer's case notes: subject, body, date, note type; Clio's notes:
 * subject, detail, date); `clio` is ready to forward to Clio's POST /api/v4/notes once the
 * receiver has mapped the case reference to a matter id.
 */
export interface CaseNoteWebhookBody {
  event: 'consultation.case_note';
  deliveryId: string;
  organizationId: string;
  case: { id: string; reference: string };
  consultation: {
    id: string;
    startsAt: string;
    endsAt: string;
    actualStart: string | null;
    actualEnd: string | null;
    language: string;
    interpreterMinutes: number;
  };
  note: { subject: string; body: string; date: string; note_type: string; is_html: false };
  clio: { data: { type: 'Matter'; subject: string; detail: string; date: string } };
  /**
   * The call's signed record (see attestation.schema.ts), null when the call left no record to sign.
   * `keysUrl` is where the verifying key is published.
   */
  attestation: (CallAttestation & { keysUrl: string }) | null;
}

/**
 * POST /api/consultations/:id/case-note/send: the case note through the webhook now. QUEUED: a
 * delivery was created (or a failed one tried again); ALREADY_QUEUED: one is pending its retries;
 * ALREADY_DELIVERED: the case system has it (a note is delivered once per consultation).
 */
export interface CaseNoteSendResponse {
  deliveryId: string;
  outcome: 'QUEUED' | 'ALREADY_QUEUED' | 'ALREADY_DELIVERED';
}
