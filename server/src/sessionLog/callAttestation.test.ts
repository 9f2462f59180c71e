import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CallAttestationStatementSchema } from '@parley/shared';
import {
  GENESIS_HASH,
  sessionEventHash,
  type ChainedSessionEvent,
  type SessionEventPayload,
} from './appendSessionEvent.ts';
import { generateAttestationKeyPem, parseAttestationKey, publicKeysOf } from './attestationKey.ts';
import {
  attestationStatement,
  eventsThroughCallEnd,
  presenceFromLog,
  signAttestation,
  verifyAttestation,
} from './callAttestation.ts';

const ORG = '11111111-1111-4111-8111-111111111111';
const CONSULTATION = '22222222-2222-4222-8222-222222222222';
const ATTORNEY = '33333333-3333-4333-8333-333333333333';
const CLIENT = `client:${CONSULTATION}`;
const t0 = Date.parse('2026-03-10T15:00:00Z');

/** Chains events the way appendSessionEvents does. */
function chain(
  bodies: [type: string, payload: SessionEventPayload, atSeconds: number][],
): ChainedSessionEvent[] {
  let prevHash = GENESIS_HASH;
  return bodies.map(([type, payload, at], i) => {
    const event = {
      organizationId: ORG,
      consultationId: CONSULTATION,
      type,
      actorUserId: null,
      actorRole: null,
      occurredAt: new Date(t0 + at * 1000),
      payload,
      seq: i + 1,
    };
    const hash = sessionEventHash(prevHash, event);
    const chained = { ...event, prevHash, hash };
    prevHash = hash;
    return chained;
  });
}

const call = chain([
  ['CALL_STARTED', { mode: 'CONSECUTIVE' }, 0],
  ['PARTICIPANT_JOINED', { participantId: ATTORNEY, role: 'ATTORNEY', device: 'BROWSER' }, 0],
  ['PARTICIPANT_JOINED', { participantId: CLIENT, role: 'CLIENT', device: 'KIOSK' }, 30],
  ['PARTICIPANT_LEFT', { participantId: CLIENT, role: 'CLIENT', reason: 'CONNECTION_LOST' }, 600],
  [
    'PARTICIPANT_RECONNECTED',
    { participantId: CLIENT, role: 'CLIENT', offlineMs: 20_000, reason: 'REJOINED' },
    620,
  ],
  ['PARTICIPANT_LEFT', { participantId: CLIENT, role: 'CLIENT', reason: 'CALL_ENDED' }, 1800],
  ['PARTICIPANT_LEFT', { participantId: ATTORNEY, role: 'ATTORNEY', reason: 'CALL_ENDED' }, 1800],
  ['CALL_ENDED', { reason: 'ENDED_BY_ATTORNEY' }, 1800],
]);

const key = parseAttestationKey(generateAttestationKeyPem());
const keys = publicKeysOf(key.jwks);
const iso = (s: number) => new Date(t0 + s * 1000).toISOString();

function attest(events = call) {
  const statement = attestationStatement(
    { consultationId: CONSULTATION, organizationId: ORG },
    events,
    new Date(t0 + 1801_000),
    key.keyId,
  );
  return signAttestation(statement, key.privateKey);
}

describe('call attestations', () => {
  it('states roles and join/leave times, the chain head and that no media was recorded', () => {
    const statement = CallAttestationStatementSchema.parse(JSON.parse(attest().statement));
    expect(statement.participants).toEqual([
      { ref: 'p1', role: 'ATTORNEY', presence: [{ joinedAt: iso(0), leftAt: iso(1800) }] },
      {
        ref: 'p2',
        role: 'CLIENT',
        presence: [
          { joinedAt: iso(30), leftAt: iso(600) },
          { joinedAt: iso(620), leftAt: iso(1800) },
        ],
      },
    ]);
    expect(statement.log).toEqual({ events: 8, headHash: call.at(-1)!.hash });
    expect(statement).toMatchObject({ mediaRecorded: false, callStartedAt: iso(0), callEndedAt: iso(1800) });
    expect(JSON.stringify(statement)).not.toContain(ATTORNEY);
  });

  it('verifies against the key and the unchanged log, also with events added after the end', () => {
    expect(verifyAttestation(attest(), keys, CONSULTATION, call).valid).toBe(true);
    const later = chain([
      ...call.map((e): [string, SessionEventPayload, number] => [
        e.type,
        e.payload,
        (e.occurredAt.getTime() - t0) / 1000,
      ]),
      ['QUALITY_WARNING', { participantId: CLIENT, role: 'CLIENT', lossPct: 1, jitterMs: 1, rttMs: 1 }, 1900],
    ]);
    expect(verifyAttestation(attest(), keys, CONSULTATION, later).valid).toBe(true);
  });

  it('fails after any change to any attested event, even with every hash recomputed', () => {
    const attestation = attest();
    for (const [index, event] of call.entries()) {
      const bodies = call.map((e): [string, SessionEventPayload, number] => [
        e.type,
        e.payload,
        (e.occurredAt.getTime() - t0) / 1000,
      ]);
      bodies[index] = [event.type, event.payload, bodies[index]![2] + 1];
      const rewritten = chain(bodies);
      const result = verifyAttestation(attestation, keys, CONSULTATION, rewritten);
      expect(result, `event ${index + 1}`).toMatchObject({ valid: false, problem: 'LOG_HEAD_CHANGED' });
      // Changed in place, hashes left alone: the chain itself breaks.
      const altered = call.map((e, i) =>
        i === index ? { ...e, occurredAt: new Date(e.occurredAt.getTime() + 1) } : e,
      );
      expect(verifyAttestation(attestation, keys, CONSULTATION, altered)).toMatchObject({
        valid: false,
        problem: 'LOG_BROKEN',
      });
    }
    expect(verifyAttestation(attestation, keys, CONSULTATION, call.slice(0, -1))).toMatchObject({
      valid: false,
      problem: 'LOG_HEAD_CHANGED',
    });
  });

  it('fails with another key, a changed statement or another consultation', () => {
    const attestation = attest();
    const other = publicKeysOf(parseAttestationKey(generateAttestationKeyPem()).jwks);
    expect(verifyAttestation(attestation, other, CONSULTATION, call)).toMatchObject({
      problem: 'UNKNOWN_KEY',
    });
    const forged = { ...attestation, statement: attestation.statement.replace(iso(1800), iso(1799)) };
    expect(verifyAttestation(forged, keys, CONSULTATION, call)).toMatchObject({ problem: 'BAD_SIGNATURE' });
    expect(verifyAttestation(attestation, keys, '44444444-4444-4444-8444-444444444444', call)).toMatchObject({
      problem: 'WRONG_CONSULTATION',
    });
  });

  it('attests only a call that ended, through its end', () => {
    expect(eventsThroughCallEnd(call.slice(0, 5))).toBeNull();
    expect(presenceFromLog(call.slice(0, 3)).map((p) => p.presence.at(-1)?.leftAt)).toEqual([null, null]);
  });

  it('reads keys as PEM, base64 of PEM and base64 of DER, and refuses other kinds', () => {
    const pem = generateAttestationKeyPem();
    const id = parseAttestationKey(pem).keyId;
    expect(parseAttestationKey(Buffer.from(pem).toString('base64')).keyId).toBe(id);
    const der = parseAttestationKey(pem).privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(parseAttestationKey(der.toString('base64')).keyId).toBe(id);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    expect(() => parseAttestationKey(rsa.toString())).toThrow(/must be an Ed25519 key/);
    expect(() => parseAttestationKey('not a key')).toThrow(/ATTESTATION_PRIVATE_KEY/);
  });
});
