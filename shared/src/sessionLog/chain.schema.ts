/** Why a consultation's hash chain does not hold, at the first event where it breaks. */
export const CHAIN_PROBLEMS = [
  /** An event's stored hash is not the hash of its content: the row was altered. */
  'HASH_MISMATCH',
  /** An event does not point at the hash of the event before it: a row was altered or inserted. */
  'LINK_BROKEN',
  /** A sequence number is missing or out of order: a row was removed or reordered. */
  'SEQUENCE_GAP',
] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

/** The answer of GET /api/consultations/:id/log/verify and of `npm run verify-log`. */
export interface ChainVerification {
  consultationId: string;
  valid: boolean;
  /** Events checked. */
  events: number;
  /** The last event's hash: quote it to prove later that the log has not changed since. */
  headHash: string | null;
  /** The first event that fails, when the chain is broken. */
  firstBrokenSeq: number | null;
  problem: ChainProblem | null;
}
