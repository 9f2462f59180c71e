import { findLanguage, type CallRole, type ConsultationView } from '@parley/shared';

/** What the attorney's, interpreter's and staff member's call screen says about the consultation. */
export interface CallDetails {
  caseId: string;
  caseReference: string;
  /** The client's language, by English name. */
  languageName: string;
  /** The roles the consultation was booked with: who the call waits for. */
  expectedRoles: CallRole[];
}

export function callDetailsOf(consultation: ConsultationView): CallDetails {
  return {
    caseId: consultation.case.id,
    caseReference: consultation.case.reference,
    languageName: findLanguage(consultation.language)?.englishName ?? consultation.language,
    expectedRoles: consultation.interpreter ? ['ATTORNEY', 'CLIENT', 'INTERPRETER'] : ['ATTORNEY', 'CLIENT'],
  };
}
