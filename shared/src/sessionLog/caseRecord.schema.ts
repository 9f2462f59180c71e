import type { ClientTransferView } from '../clients.schema.ts';
import type { ConsultationStatus, InterpretationMode } from '../scheduling/consultations.schema.ts';
import type { ChainVerification } from './chain.schema.ts';
import type { LoggedSessionEvent } from './events.schema.ts';
import type { ConsultationSummary } from './summary.schema.ts';

/** One consultation on a case record, with its log's summary and (for full readers) its timeline. */
export interface ConsultationRecord {
  id: string;
  startsAt: string;
  endsAt: string;
  status: ConsultationStatus;
  language: string;
  mode: InterpretationMode;
  facility: { id: string; name: string; timeZone: string };
  attorney: { id: string; name: string };
  interpreter: { id: string; name: string } | null;
  summary: ConsultationSummary;
  /** The session log, oldest first. Null for interpreters, who see summaries only. */
  timeline: LoggedSessionEvent[] | null;
  /** The log's hash chain check. Null for interpreters. */
  integrity: ChainVerification | null;
  /** Display names for the participant ids in the timeline and summary. */
  names: Record<string, string>;
}

/**
 * GET /api/cases/:id. Staff and the case's attorneys read it all (`access: 'full'`); an
 * interpreter reads only the consultations they interpreted, summaries only, and no client data
 * (`access: 'interpreted'`). Every read is written to the case access log.
 */
export interface CaseRecord {
  access: 'full' | 'interpreted';
  case: {
    id: string;
    reference: string;
    title: string;
    status: 'OPEN' | 'CLOSED';
    attorneys: { id: string; name: string }[];
  };
  client: {
    id: string;
    firstName: string;
    lastName: string;
    aNumber: string;
    preferredLanguage: string;
    facility: { id: string; name: string; timeZone: string } | null;
  } | null;
  consultations: ConsultationRecord[];
  /** The client's moves between facilities, newest first. Empty for interpreters. */
  transfers: ClientTransferView[];
}
