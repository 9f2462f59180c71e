import { LANGUAGE_CODES, type LanguageCode } from '@parley/shared';
import { ATTORNEY_LANGUAGE } from './LiveCall.ts';
import type { BookedInterpreter } from './InterpretationDesk.ts';

/** A further interpreter of a consultation as stored (ConsultationInterpreter). */
export interface FurtherInterpreterRow {
  interpreterId: string;
  languageA: string;
  languageB: string;
}

const KNOWN = new Set<string>(LANGUAGE_CODES);

function language(code: string): LanguageCode {
  if (!KNOWN.has(code)) throw new RangeError(`Unknown language ${code}`);
  return code as LanguageCode;
}

/**
 * Every interpreter booked on a consultation with the pair they cover (issue 17). The
 * consultation's own interpreter covers English and the pivot when a further interpreter relays
 * the client's language through another one (Spanish ↔ Mam: the pivot is Spanish), English and
 * the client's language otherwise; further interpreters cover their stored pair (a booth partner
 * has the same pair as the one they relieve).
 */
export function bookedInterpreters(consultation: {
  interpreterId: string | null;
  language: string;
  furtherInterpreters: readonly FurtherInterpreterRow[];
}): BookedInterpreter[] {
  const client = language(consultation.language);
  const further = consultation.furtherInterpreters.map((row): BookedInterpreter => ({
    id: row.interpreterId,
    pair: [language(row.languageA), language(row.languageB)],
  }));
  const relay = further.find((i) => i.pair.includes(client) && !i.pair.includes(ATTORNEY_LANGUAGE));
  const pivot = relay?.pair.find((l) => l !== client);
  const first: BookedInterpreter[] = consultation.interpreterId
    ? [{ id: consultation.interpreterId, pair: [ATTORNEY_LANGUAGE, pivot ?? client] }]
    : [];
  return [...first, ...further.filter((i) => i.id !== consultation.interpreterId)];
}
