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
 * The pair of the consultation's own interpreter. With a relay on the client's side (a further
 * interpreter of the client's language and a pivot) they cover English and the pivot; with a relay
 * on the English side (a further interpreter of English and a pivot: how bookings ask for one)
 * they cover the pivot and the client's language; otherwise English and the client's language.
 */
export function firstPair(
  client: LanguageCode,
  further: readonly BookedInterpreter[],
): [LanguageCode, LanguageCode] {
  const clientSide = further.find((i) => i.pair.includes(client) && !i.pair.includes(ATTORNEY_LANGUAGE));
  if (clientSide) return [ATTORNEY_LANGUAGE, clientSide.pair.find((l) => l !== client)!];
  const englishSide = further.find((i) => i.pair.includes(ATTORNEY_LANGUAGE) && !i.pair.includes(client));
  if (englishSide) return [englishSide.pair.find((l) => l !== ATTORNEY_LANGUAGE)!, client];
  return [ATTORNEY_LANGUAGE, client];
}

/**
 * Every interpreter booked on a consultation with the pair they cover (issue 17): the
 * consultation's own (see `firstPair`), then the further ones with their stored pair (a booth
 * partner has the same pair as the one they relieve).
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
  const first: BookedInterpreter[] = consultation.interpreterId
    ? [{ id: consultation.interpreterId, pair: firstPair(client, further) }]
    : [];
  return [...first, ...further.filter((i) => i.id !== consultation.interpreterId)];
}
