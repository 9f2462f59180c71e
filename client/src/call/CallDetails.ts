import type { CallRole, ConsultationView } from '@parley/shared';

/** What the attorney's, interpreter's and staff member's call screen says about the consultation. */
export interface CallDetails {
  caseId: string;
  caseReference: string;
  /** The client's language (a code: the screen names it in the reader's language). */
  language: string;
  /** The roles the consultation was booked with: who the call waits for. */
  expectedRoles: CallRole[];
}

export function callDetailsOf(consultation: ConsultationView): CallDetails {
  return {
    caseId: consultation.case.id,
    caseReference: consultation.case.reference,
    language: consultation.language,
    expectedRoles: consultation.interpreter ? ['ATTORNEY', 'CLIENT', 'INTERPRETER'] : ['ATTORNEY', 'CLIENT'],
  };
}
