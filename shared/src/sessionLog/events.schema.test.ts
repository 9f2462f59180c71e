import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ParticipantIdSchema,
  SESSION_EVENT_TYPES,
  SessionEventBodySchema,
  SessionEventPayloadSchemas,
  type SessionEventBody,
  type SessionEventType,
} from './events.schema.ts';

const CONSULTATION = '3f0c9a52-6a55-4d3e-9a61-1c2b3d4e5f60';
const USER = '8b2d1e4f-0a9c-4b7d-8e6f-5a4b3c2d1e0f';
const CLIENT = `client:${CONSULTATION}`;
const AT = '2026-03-10T15:00:00.000Z';

/** One valid event of every type: the fixtures the properties below mutate. */
const VALID: { [T in SessionEventType]: Extract<SessionEventBody, { type: T }>['payload'] } = {
  CONSULTATION_SCHEDULED: {
    startsAt: AT,
    endsAt: '2026-03-10T16:00:00.000Z',
    facilityId: USER,
    attorneyId: USER,
    interpreterId: null,
    language: 'es',
    mode: 'CONSECUTIVE',
  },
  CONSULTATION_RESCHEDULED: {
    fromStartsAt: AT,
    fromEndsAt: AT,
    startsAt: AT,
    endsAt: AT,
    fromInterpreterId: USER,
    interpreterId: null,
  },
  CONSULTATION_CANCELLED: { startsAt: AT, previousStatus: 'SCHEDULED', reasonCode: 'CLIENT_TRANSFERRED' },
  CONSULTATION_NO_SHOW: { startsAt: AT, endsAt: AT },
  FACILITY_CONFIRMATION_REQUESTED: { requestId: USER, startsAt: AT, endsAt: AT, mailed: true },
  FACILITY_CONFIRMATION_REMINDED: { requestId: USER, reminder: 1, mailed: false },
  FACILITY_CONFIRMED: { requestId: USER, startsAt: AT, via: 'LINK' },
  FACILITY_DECLINED: { requestId: USER, startsAt: AT },
  FACILITY_PROPOSED_TIME: { requestId: USER, startsAt: AT, proposedStartsAt: AT },
  CLIENT_TRANSFERRED: { transferId: USER, fromFacilityId: null, toFacilityId: USER },
  CALL_STARTED: { mode: 'SIMULTANEOUS' },
  PARTICIPANT_JOINED: { participantId: CLIENT, role: 'CLIENT', device: 'KIOSK' },
  PARTICIPANT_LEFT: { participantId: USER, role: 'ATTORNEY', reason: 'CONNECTION_LOST' },
  PARTICIPANT_RECONNECTED: { participantId: USER, role: 'INTERPRETER', offlineMs: 4200, reason: 'REPLACED' },
  ROUTING_CHANGED: { mode: 'SIMULTANEOUS', direction: { from: 'en', to: 'es' } },
  SIDEBAR_STARTED: { sidebarId: CONSULTATION, participantIds: [USER, USER] },
  SIDEBAR_ENDED: { sidebarId: CONSULTATION },
  INTERPRETER_HANDOVER: { fromParticipantId: USER, toParticipantId: USER, how: 'ACCEPTED' },
  BACK_CHANNEL_USED: { participantId: USER },
  PAUSE_REQUESTED: { requestId: USER, fromParticipantId: USER, toParticipantId: CLIENT, toRole: 'CLIENT' },
  PAUSE_ACKNOWLEDGED: { requestId: USER, participantId: CLIENT, role: 'CLIENT', afterMs: 1800 },
  FURTHER_INTERPRETER_ADDED: { interpreterId: USER, kind: 'RELAY', languageA: 'en', languageB: 'es' },
  FURTHER_INTERPRETER_REMOVED: { interpreterId: USER, kind: 'PARTNER' },
  QUALITY_WARNING: { participantId: CLIENT, role: 'CLIENT', lossPct: 7.5, jitterMs: 41, rttMs: 380 },
  PHONE_DIAL_OUT: {
    dialOutId: USER,
    participantId: CLIENT,
    role: 'CLIENT',
    outcome: 'FAILED',
    failure: 'BUSY',
    numberEnding: 7,
  },
  CALL_ENDED: { reason: 'TIME_LIMIT' },
};

const PROSE = 'The client said he was afraid to go back';

/** Every path to a string leaf of `value`, e.g. ['direction', 'from'] or ['participantIds', 0]. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  }
  return [];
}

function withValueAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withValueAt(v, rest, replacement) : v));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: withValueAt(record[head], rest, replacement) };
}

type Def = {
  type: string;
  format?: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
};
const defOf = (schema: z.ZodType) => schema._zod.def as unknown as Def;

/**
 * Walks a schema and returns a description of every place text could get in: a string that is not
 * a uuid, an instant or the participant id pattern; an object that is not strict; a record; `any`.
 */
function freeTextHoles(schema: z.ZodType, path = '(payload)'): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const holes = defOf(def.catchall ?? ({ _zod: { def: { type: 'unknown' } } } as z.ZodType)).type;
      return [
        ...(holes === 'never' ? [] : [`${path} is not strict`]),
        ...Object.entries(def.shape ?? {}).flatMap(([k, v]) => freeTextHoles(v, `${path}.${k}`)),
      ];
    }
    case 'string':
      if (def.format === 'uuid' || def.format === 'datetime' || schema === ParticipantIdSchema) return [];
      return [`${path} is a free string`];
    case 'nullable':
    case 'optional':
      return freeTextHoles(def.innerType!, path);
    case 'array':
      return freeTextHoles(def.element!, `${path}[]`);
    case 'enum':
    case 'literal':
    case 'number':
    case 'boolean':
      return [];
    default:
      return [`${path} has an unexpected ${def.type} schema`];
  }
}

describe('session event payloads carry metadata only', () => {
  it('covers every event type with a payload schema and a fixture', () => {
    expect(Object.keys(SessionEventPayloadSchemas).sort()).toEqual([...SESSION_EVENT_TYPES].sort());
    for (const type of SESSION_EVENT_TYPES) {
      expect(SessionEventBodySchema.safeParse({ type, payload: VALID[type] }).success, type).toBe(true);
    }
  });

  it.each(SESSION_EVENT_TYPES)('%s: every string is an id, enum, instant or language code', (type) => {
    expect(freeTextHoles(SessionEventPayloadSchemas[type])).toEqual([]);
  });

  it('notices a free-text field if one is ever added (the walk itself can fail)', () => {
    const leaky = SessionEventPayloadSchemas.CALL_ENDED.extend({ note: z.string().max(500) });
    expect(freeTextHoles(leaky)).toEqual(['(payload).note is a free string']);
    const hidden = SessionEventPayloadSchemas.CALL_ENDED.extend({
      detail: z.object({ a: z.string() }).strict(),
    });
    expect(freeTextHoles(hidden)).toEqual(['(payload).detail.a is a free string']);
    expect(freeTextHoles(SessionEventPayloadSchemas.CALL_ENDED.loose())).toEqual(['(payload) is not strict']);
  });

  it.each(SESSION_EVENT_TYPES)('%s: refuses an extra field carrying prose', (type) => {
    for (const field of ['note', 'transcript', 'chat', 'message', 'text']) {
      const result = SessionEventBodySchema.safeParse({ type, payload: { ...VALID[type], [field]: PROSE } });
      expect(result.success, `${type}.${field}`).toBe(false);
    }
  });

  it.each(SESSION_EVENT_TYPES)('%s: refuses prose in place of any of its strings', (type) => {
    const paths = stringPaths(VALID[type]);
    for (const path of paths) {
      const payload = withValueAt(VALID[type], path, PROSE);
      expect(SessionEventBodySchema.safeParse({ type, payload }).success, path.join('.')).toBe(false);
    }
  });

  it('refuses an unknown event type and a payload of the wrong type', () => {
    expect(SessionEventBodySchema.safeParse({ type: 'CHAT_MESSAGE', payload: {} }).success).toBe(false);
    expect(
      SessionEventBodySchema.safeParse({ type: 'CALL_ENDED', payload: VALID.PARTICIPANT_JOINED }).success,
    ).toBe(false);
  });

  it('a reconnection says how it happened with a code or not at all (logs from before the code)', () => {
    const { reason: _reason, ...withoutReason } = VALID.PARTICIPANT_RECONNECTED;
    const parse = (payload: object) =>
      SessionEventBodySchema.safeParse({ type: 'PARTICIPANT_RECONNECTED', payload }).success;
    expect(parse(withoutReason)).toBe(true);
    for (const reason of ['REJOINED', 'MEDIA_RESTARTED', 'REPLACED']) {
      expect(parse({ ...withoutReason, reason }), reason).toBe(true);
    }
    expect(parse({ ...withoutReason, reason: 'OPENED_IN_ANOTHER_TAB' })).toBe(false);
    expect(parse({ ...withoutReason, reason: null })).toBe(false);
  });

  it('accepts both kinds of participant id and nothing else', () => {
    expect(ParticipantIdSchema.safeParse(USER).success).toBe(true);
    expect(ParticipantIdSchema.safeParse(CLIENT).success).toBe(true);
    expect(ParticipantIdSchema.safeParse(`client:${CONSULTATION} hello`).success).toBe(false);
    expect(ParticipantIdSchema.safeParse(`guest:${CONSULTATION}`).success).toBe(false);
  });
});
