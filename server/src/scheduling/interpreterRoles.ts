import type { LanguageCode } from '@parley/shared';
import { bookedInterpreters, type FurtherInterpreterRow } from '../calls/bookedInterpreters.ts';

/** An interpreter of a booking, the pair they cover and their role on it (issue 17). */
export interface InterpreterRole {
  interpreterId: string;
  pair: [LanguageCode, LanguageCode];
  /** FIRST: the consultation's own interpreter; RELAY: through a pivot; PARTNER: a booth partner. */
  kind: 'FIRST' | 'RELAY' | 'PARTNER';
}

const samePair = (a: readonly LanguageCode[], b: readonly LanguageCode[]) => b.every((l) => a.includes(l));

/**
 * Every interpreter of a booking with their role. A further interpreter who covers the pair of the
 * consultation's own, or of an earlier further one, is their booth partner; any other is a relay.
 */
export function interpreterRoles(booking: {
  interpreterId: string | null;
  language: string;
  furtherInterpreters: readonly FurtherInterpreterRow[];
}): InterpreterRole[] {
  const booked = bookedInterpreters(booking);
  const firstPair = booked[0]?.pair;
  return booked.map((b, index) => ({
    interpreterId: b.id,
    pair: b.pair,
    kind:
      index === 0 && b.id === booking.interpreterId
        ? 'FIRST'
        : (firstPair && samePair(firstPair, b.pair)) ||
            booked.some((o, j) => j < index && j > 0 && samePair(b.pair, o.pair))
          ? 'PARTNER'
          : 'RELAY',
  }));
}
