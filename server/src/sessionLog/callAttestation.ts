import { sign, verify, type KeyObject } from 'node:crypto';
import {
  ATTESTATION_TYPE,
  CallAttestationStatementSchema,
  NO_MEDIA_RECORDED,
  type AttestedParticipant,
  type CallAttestation,
  type CallAttestationStatement,
} from '@parley/shared';
import { canonicalJson, type ChainedSessionEvent } from './appendSessionEvent.ts';
import { verifyChain } from './verifyChain.ts';

/**
 * Call attestations, pure: what a finished call's log says (built from its events), signed with
 * Ed25519 over the canonical JSON, and checked against a key and the log as it is now.
 */

interface ParticipantPayload {
  participantId?: unknown;
  role?: unknown;
}

/** The events up to and including the call's last CALL_ENDED, or null when the call has not ended. */
export function eventsThroughCallEnd(events: readonly ChainedSessionEvent[]): ChainedSessionEvent[] | null {
  const end = events.findLastIndex((e) => e.type === 'CALL_ENDED');
  return end < 0 ? null : events.slice(0, end + 1);
}

/**
 * Who was in the call as what role, and when: a stretch opens at PARTICIPANT_JOINED (or at a
 * PARTICIPANT_RECONNECTED after a logged departure) and closes at PARTICIPANT_LEFT.
 */
export function presenceFromLog(events: readonly ChainedSessionEvent[]): AttestedParticipant[] {
  const byId = new Map<string, AttestedParticipant>();
  for (const event of events) {
    if (!['PARTICIPANT_JOINED', 'PARTICIPANT_LEFT', 'PARTICIPANT_RECONNECTED'].includes(event.type)) continue;
    const { participantId, role } = event.payload as ParticipantPayload;
    if (typeof participantId !== 'string' || typeof role !== 'string') continue;
    let participant = byId.get(participantId);
    if (!participant) {
      participant = { ref: `p${byId.size + 1}`, role: role as AttestedParticipant['role'], presence: [] };
      byId.set(participantId, participant);
    }
    const open = participant.presence.at(-1);
    const at = event.occurredAt.toISOString();
    if (event.type === 'PARTICIPANT_LEFT') {
      if (open && open.leftAt === null) open.leftAt = at;
    } else if (!open || open.leftAt !== null) {
      participant.presence.push({ joinedAt: at, leftAt: null });
    }
  }
  return [...byId.values()];
}

/** The statement for a call whose log is `events` (in seq order, through CALL_ENDED). */
export function attestationStatement(
  ids: { consultationId: string; organizationId: string },
  events: readonly ChainedSessionEvent[],
  issuedAt: Date,
  keyId: string,
): CallAttestationStatement {
  const head = events.at(-1);
  if (!head) throw new Error('An attestation needs at least one event');
  return {
    type: ATTESTATION_TYPE,
    version: 1,
    consultationId: ids.consultationId,
    organizationId: ids.organizationId,
    callStartedAt: events.find((e) => e.type === 'CALL_STARTED')?.occurredAt.toISOString() ?? null,
    callEndedAt: events.findLast((e) => e.type === 'CALL_ENDED')?.occurredAt.toISOString() ?? null,
    participants: presenceFromLog(events),
    log: { events: head.seq, headHash: head.hash },
    mediaRecorded: false,
    statement: NO_MEDIA_RECORDED,
    issuedAt: issuedAt.toISOString(),
    keyId,
  };
}

export function signAttestation(statement: CallAttestationStatement, privateKey: KeyObject): CallAttestation {
  const bytes = canonicalJson(statement);
  return {
    statement: bytes,
    signature: sign(null, Buffer.from(bytes, 'utf8'), privateKey).toString('base64url'),
    alg: 'EdDSA',
    keyId: statement.keyId,
  };
}

/** Why an attestation does not hold. */
export type AttestationProblem =
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'MALFORMED_STATEMENT'
  | 'WRONG_CONSULTATION'
  | 'LOG_BROKEN'
  | 'LOG_HEAD_CHANGED'
  | 'PARTICIPANTS_CHANGED';

export type AttestationVerification =
  | { valid: true; statement: CallAttestationStatement }
  | { valid: false; problem: AttestationProblem; detail: string };

/**
 * Checks an attestation: the signature with the key it names, then the consultation's log as it is
 * now — its chain must hold through the attested head, end at the attested hash, and still say the
 * same people joined and left at the same times. Any change to those events fails.
 */
export function verifyAttestation(
  attestation: CallAttestation,
  keys: ReadonlyMap<string, KeyObject>,
  consultationId: string,
  events: readonly ChainedSessionEvent[],
): AttestationVerification {
  const key = keys.get(attestation.keyId);
  if (!key) return { valid: false, problem: 'UNKNOWN_KEY', detail: `no published key ${attestation.keyId}` };
  const signature = Buffer.from(attestation.signature, 'base64url');
  if (!verify(null, Buffer.from(attestation.statement, 'utf8'), key, signature)) {
    return { valid: false, problem: 'BAD_SIGNATURE', detail: 'the signature does not match the statement' };
  }
  let statement: CallAttestationStatement;
  try {
    statement = CallAttestationStatementSchema.parse(JSON.parse(attestation.statement));
  } catch {
    return {
      valid: false,
      problem: 'MALFORMED_STATEMENT',
      detail: 'the signed statement is not an attestation',
    };
  }
  if (statement.consultationId !== consultationId || statement.keyId !== attestation.keyId) {
    return { valid: false, problem: 'WRONG_CONSULTATION', detail: `it attests ${statement.consultationId}` };
  }
  const attested = events.slice(0, statement.log.events);
  const chain = verifyChain(consultationId, attested);
  if (!chain.valid) {
    return {
      valid: false,
      problem: 'LOG_BROKEN',
      detail: `${chain.problem} at event ${chain.firstBrokenSeq} of ${statement.log.events}`,
    };
  }
  if (attested.length !== statement.log.events || chain.headHash !== statement.log.headHash) {
    return {
      valid: false,
      problem: 'LOG_HEAD_CHANGED',
      detail: `event ${statement.log.events} hashes to ${chain.headHash ?? '(none)'}, attested ${statement.log.headHash}`,
    };
  }
  if (canonicalJson(presenceFromLog(attested)) !== canonicalJson(statement.participants)) {
    return {
      valid: false,
      problem: 'PARTICIPANTS_CHANGED',
      detail: 'the log no longer shows the attested presence',
    };
  }
  return { valid: true, statement };
}
