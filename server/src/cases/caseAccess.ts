import type { AccessClaims } from '../auth/tokens.ts';

/** What decides who may read a case and its consultations. */
export interface CaseAccessFacts {
  attorneyIds: readonly string[];
}

export interface ConsultationAccessFacts {
  attorneyId: string;
  interpreterId: string | null;
}

/**
 * How much of a case record the caller may read:
 * - `full`: staff, admins and the case's assigned attorneys — client, consultations, timelines;
 * - `interpreted`: an interpreter, who sees only the summaries of the consultations they interpreted;
 * - `none`: anyone else (another attorney of the organisation).
 */
export type CaseReadLevel = 'full' | 'interpreted' | 'none';

export function caseReadLevel(who: AccessClaims, facts: CaseAccessFacts): CaseReadLevel {
  switch (who.role) {
    case 'ADMIN':
    case 'STAFF':
      return 'full';
    case 'ATTORNEY':
      return facts.attorneyIds.includes(who.userId) ? 'full' : 'none';
    case 'INTERPRETER':
      return 'interpreted';
  }
}

/** Whether the caller may read one consultation's full log (timeline, case note, chain check). */
export function canReadConsultationLog(
  who: AccessClaims,
  theCase: CaseAccessFacts,
  consultation: ConsultationAccessFacts,
): boolean {
  if (who.role === 'INTERPRETER') return false;
  if (who.role === 'ATTORNEY') {
    return theCase.attorneyIds.includes(who.userId) || consultation.attorneyId === who.userId;
  }
  return caseReadLevel(who, theCase) === 'full';
}

/** Whether the caller may read one consultation's summary. */
export function canReadConsultationSummary(
  who: AccessClaims,
  theCase: CaseAccessFacts,
  consultation: ConsultationAccessFacts,
): boolean {
  if (who.role === 'INTERPRETER') return consultation.interpreterId === who.userId;
  return canReadConsultationLog(who, theCase, consultation);
}
