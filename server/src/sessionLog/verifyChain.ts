import type { ChainVerification } from '@parley/shared';
import { GENESIS_HASH, sessionEventHash, type ChainedSessionEvent } from './appendSessionEvent.ts';

/**
 * Checks a consultation's events, ordered by seq, against their hash chain. Pure: the caller
 * reads the rows. An altered row fails with HASH_MISMATCH (or LINK_BROKEN when its stored hash was
 * recomputed to hide the change); a removed or reordered row fails with SEQUENCE_GAP.
 */
export function verifyChain(
  consultationId: string,
  events: readonly ChainedSessionEvent[],
): ChainVerification {
  let prevHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const problem =
      event.seq !== index + 1
        ? 'SEQUENCE_GAP'
        : event.prevHash !== prevHash
          ? 'LINK_BROKEN'
          : sessionEventHash(prevHash, event) !== event.hash
            ? 'HASH_MISMATCH'
            : null;
    if (problem) {
      return {
        consultationId,
        valid: false,
        events: events.length,
        headHash: events.at(-1)?.hash ?? null,
        firstBrokenSeq: event.seq,
        problem,
      };
    }
    prevHash = event.hash;
  }
  return {
    consultationId,
    valid: true,
    events: events.length,
    headHash: events.at(-1)?.hash ?? null,
    firstBrokenSeq: null,
    problem: null,
  };
}
