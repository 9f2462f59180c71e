import { z } from 'zod';
import { CallRoleSchema } from '../call/callAccess.schema.ts';

/**
 * A signed record of what happened on a call, made by Parley when the call ends: who took part as
 * what role, when each joined and left, the session log's chain head (so the log cannot be rewritten
 * afterwards without the signature failing), and that no media was recorded. Anyone holding the
 * published key (GET /.well-known/parley-attestation-keys) can verify it, offline.
 */

export const ATTESTATION_TYPE = 'parley.call-attestation';
/** What Parley states about media on every call: it never records any. */
export const NO_MEDIA_RECORDED = 'No audio, video, transcript or chat of this call was recorded by Parley.';

const IsoInstant = z.iso.datetime({ offset: false });
const Hash = z.string().regex(/^[0-9a-f]{64}$/);

/** One stretch a participant was in the call. `leftAt` null: still there when the call ended. */
export const PresenceSchema = z.object({ joinedAt: IsoInstant, leftAt: IsoInstant.nullable() }).strict();

export const AttestedParticipantSchema = z
  .object({
    /** Participants in the order they first joined: p1, p2, … (the log holds who they are). */
    ref: z.string().regex(/^p\d{1,3}$/),
    role: CallRoleSchema,
    presence: z.array(PresenceSchema).max(1000),
  })
  .strict();
export type AttestedParticipant = z.infer<typeof AttestedParticipantSchema>;

/** The signed statement. Its canonical JSON (keys sorted at every level) is what is signed. */
export const CallAttestationStatementSchema = z
  .object({
    type: z.literal(ATTESTATION_TYPE),
    version: z.literal(1),
    consultationId: z.uuid(),
    organizationId: z.uuid(),
    callStartedAt: IsoInstant.nullable(),
    callEndedAt: IsoInstant.nullable(),
    participants: z.array(AttestedParticipantSchema).max(100),
    /** The session log up to and including the call's end: its length and the last event's hash. */
    log: z.object({ events: z.number().int().min(1), headHash: Hash }).strict(),
    mediaRecorded: z.literal(false),
    statement: z.literal(NO_MEDIA_RECORDED),
    issuedAt: IsoInstant,
    keyId: z.string().min(1).max(100),
  })
  .strict();
export type CallAttestationStatement = z.infer<typeof CallAttestationStatementSchema>;

/** An attestation as stored, sent with the case-note webhook and shown on the case page. */
export const CallAttestationSchema = z
  .object({
    /** The exact signed bytes (UTF-8): canonical JSON of a CallAttestationStatement. */
    statement: z.string().min(2).max(200_000),
    /** Ed25519 signature of `statement`, base64url. */
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
    alg: z.literal('EdDSA'),
    keyId: z.string().min(1).max(100),
  })
  .strict();
export type CallAttestation = z.infer<typeof CallAttestationSchema>;

/** GET /api/consultations/:id/attestation. */
export interface CallAttestationResponse {
  attestation: CallAttestation | null;
}

/** One public key of GET /.well-known/parley-attestation-keys (RFC 8037 OKP JWK). */
export const AttestationJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  kid: z.string().min(1).max(100),
  alg: z.literal('EdDSA').optional(),
  use: z.literal('sig').optional(),
});
export const AttestationJwksSchema = z.object({ keys: z.array(AttestationJwkSchema).max(20) });
export type AttestationJwks = z.infer<typeof AttestationJwksSchema>;

/** The well-known path of the published keys. */
export const ATTESTATION_KEYS_PATH = '/.well-known/parley-attestation-keys';
