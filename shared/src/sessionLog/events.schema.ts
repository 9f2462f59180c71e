import { z } from 'zod';
import { CallRoleSchema } from '../call/callAccess.schema.ts';
import { LANGUAGE_CODES } from '../languages.ts';
import { ConsultationStatusSchema, InterpretationModeSchema } from '../scheduling/consultations.schema.ts';

/**
 * The session log's vocabulary. A consultation's log is metadata only — who, when, which mode,
 * how good the line was — never audio, video, transcripts or chat. To make that structural rather
 * than a promise, every payload is a `.strict()` object whose strings are all ids, enums,
 * instants or language codes: there is no field a sentence could be put in. A reason is an enum
 * code, never prose (the prose of a cancellation stays on the consultation row, not in the log).
 */

/** An instant in UTC ISO-8601, as `Date.toISOString()` writes it. */
const Instant = z.iso.datetime({ offset: true });
const Uuid = z.uuid();
const Language = z.enum(LANGUAGE_CODES);

/**
 * A call participant's id: a user's id, or `client:<consultation id>` for the detained client,
 * who has no user account (see server/src/calls/callAccess.ts).
 */
export const ParticipantIdSchema = z
  .string()
  .regex(
    /^(client:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'A user id or client:<consultation id>',
  );

/** How a participant reached the call. */
export const CallDeviceSchema = z.enum(['BROWSER', 'KIOSK', 'PHONE']);

export const CANCEL_REASON_CODES = [
  'CLIENT_TRANSFERRED',
  'CLIENT_RELEASED',
  'CLIENT_REMOVED',
  'FACILITY_UNAVAILABLE',
  'ATTORNEY_UNAVAILABLE',
  'INTERPRETER_UNAVAILABLE',
  'DUPLICATE',
  'OTHER',
] as const;
/** Why a consultation was cancelled, as a code the case management system can count. */
export const CancelReasonCodeSchema = z.enum(CANCEL_REASON_CODES);
export type CancelReasonCode = z.infer<typeof CancelReasonCodeSchema>;

export const LEAVE_REASONS = ['LEFT', 'CONNECTION_LOST', 'REMOVED', 'CALL_ENDED'] as const;
export const LeaveReasonSchema = z.enum(LEAVE_REASONS);
export type LeaveReason = z.infer<typeof LeaveReasonSchema>;

/**
 * How a participant who never left got their place back on a new connection:
 * - REJOINED: their connection to the server dropped and they joined again within the grace period.
 * - MEDIA_RESTARTED: the connection to the server held but their audio and video connection failed;
 *   the server gave them a new one in the same place.
 * - REPLACED: a newer join of the same person (another window or device, a reload) took the place
 *   over while the earlier connection still held it; the earlier one was told so and closed. Not a
 *   drop.
 * Logs written before this field existed carry no reason; those reconnections were all REJOINED.
 */
export const RECONNECT_REASONS = ['REJOINED', 'MEDIA_RESTARTED', 'REPLACED'] as const;
export const ReconnectReasonSchema = z.enum(RECONNECT_REASONS);
export type ReconnectReason = z.infer<typeof ReconnectReasonSchema>;

export const CALL_END_REASONS = [
  'ENDED_BY_ATTORNEY',
  'ENDED_BY_STAFF',
  'ENDED_BY_FACILITY',
  'TIME_LIMIT',
  'EVERYONE_LEFT',
  'SERVER_ERROR',
] as const;
export const CallEndReasonSchema = z.enum(CALL_END_REASONS);
export type CallEndReason = z.infer<typeof CallEndReasonSchema>;

/** The routing modes of the call (DESIGN.md): sidebars are logged as their own events. */
export const RoutingModeSchema = InterpretationModeSchema;

/** What happened to a call Parley placed to a participant's phone (server/src/phone). */
export const DIAL_OUT_OUTCOMES = ['SCHEDULED', 'DIALLED', 'ANSWERED', 'FAILED'] as const;
export const DIAL_OUT_FAILURES = [
  'BUSY',
  'NO_ANSWER',
  'DECLINED',
  'UNREACHABLE',
  'TRUNK_REFUSED',
  'NOT_OPEN',
  'ERROR',
] as const;

export const SESSION_EVENT_TYPES = [
  'CONSULTATION_SCHEDULED',
  'CONSULTATION_RESCHEDULED',
  'CONSULTATION_CANCELLED',
  'CONSULTATION_NO_SHOW',
  'FACILITY_CONFIRMATION_REQUESTED',
  'FACILITY_CONFIRMATION_REMINDED',
  'FACILITY_CONFIRMED',
  'FACILITY_DECLINED',
  'FACILITY_PROPOSED_TIME',
  'CLIENT_TRANSFERRED',
  'CALL_STARTED',
  'PARTICIPANT_JOINED',
  'PARTICIPANT_LEFT',
  'PARTICIPANT_RECONNECTED',
  'ROUTING_CHANGED',
  'SIDEBAR_STARTED',
  'SIDEBAR_ENDED',
  'INTERPRETER_HANDOVER',
  'BACK_CHANNEL_USED',
  'PAUSE_REQUESTED',
  'PAUSE_ACKNOWLEDGED',
  'FURTHER_INTERPRETER_ADDED',
  'FURTHER_INTERPRETER_REMOVED',
  'QUALITY_WARNING',
  'PHONE_DIAL_OUT',
  'CALL_ENDED',
] as const;
export const SessionEventTypeSchema = z.enum(SESSION_EVENT_TYPES);
export type SessionEventType = z.infer<typeof SessionEventTypeSchema>;

/** Each event type's payload. Every object is strict: an unknown field is refused, not dropped. */
export const SessionEventPayloadSchemas = {
  CONSULTATION_SCHEDULED: z
    .object({
      startsAt: Instant,
      endsAt: Instant,
      facilityId: Uuid,
      attorneyId: Uuid,
      interpreterId: Uuid.nullable(),
      language: Language,
      mode: InterpretationModeSchema,
    })
    .strict(),
  CONSULTATION_RESCHEDULED: z
    .object({
      fromStartsAt: Instant,
      fromEndsAt: Instant,
      startsAt: Instant,
      endsAt: Instant,
      fromInterpreterId: Uuid.nullable(),
      interpreterId: Uuid.nullable(),
    })
    .strict(),
  CONSULTATION_CANCELLED: z
    .object({
      startsAt: Instant,
      previousStatus: ConsultationStatusSchema,
      reasonCode: CancelReasonCodeSchema.optional(),
    })
    .strict(),
  CONSULTATION_NO_SHOW: z.object({ startsAt: Instant, endsAt: Instant }).strict(),
  /** The facility was asked to confirm the call at this time (mailed: false when it has no email). */
  FACILITY_CONFIRMATION_REQUESTED: z
    .object({ requestId: Uuid, startsAt: Instant, endsAt: Instant, mailed: z.boolean() })
    .strict(),
  /** A reminder of an unanswered request (1 for the first reminder). */
  FACILITY_CONFIRMATION_REMINDED: z
    .object({ requestId: Uuid, reminder: z.number().int().min(1).max(100), mailed: z.boolean() })
    .strict(),
  /**
   * LINK: the facility's contact through the mailed link; STAFF: a staff member who heard it by
   * phone; PROPOSAL: staff moved the call to the time the facility itself proposed.
   */
  FACILITY_CONFIRMED: z
    .object({ requestId: Uuid, startsAt: Instant, via: z.enum(['LINK', 'STAFF', 'PROPOSAL']) })
    .strict(),
  /** The facility's reason stays on the request row; the log keeps metadata only. */
  FACILITY_DECLINED: z.object({ requestId: Uuid, startsAt: Instant }).strict(),
  FACILITY_PROPOSED_TIME: z
    .object({ requestId: Uuid, startsAt: Instant, proposedStartsAt: Instant })
    .strict(),
  /**
   * Staff recorded that the client was moved to another facility (ClientTransfer row `transferId`);
   * logged on each of the client's calls that the move cancelled. From null: no facility was on record.
   */
  CLIENT_TRANSFERRED: z
    .object({ transferId: Uuid, fromFacilityId: Uuid.nullable(), toFacilityId: Uuid })
    .strict(),
  CALL_STARTED: z.object({ mode: InterpretationModeSchema }).strict(),
  PARTICIPANT_JOINED: z
    .object({ participantId: ParticipantIdSchema, role: CallRoleSchema, device: CallDeviceSchema })
    .strict(),
  PARTICIPANT_LEFT: z
    .object({ participantId: ParticipantIdSchema, role: CallRoleSchema, reason: LeaveReasonSchema })
    .strict(),
  PARTICIPANT_RECONNECTED: z
    .object({
      participantId: ParticipantIdSchema,
      role: CallRoleSchema,
      /**
       * How long the participant was away, from the server's point of view: without a connection
       * (REJOINED) or without working media (MEDIA_RESTARTED, and REPLACED when the earlier
       * connection's media had failed; otherwise 0 for REPLACED).
       */
      offlineMs: z.number().int().min(0).max(86_400_000),
      reason: ReconnectReasonSchema.optional(),
    })
    .strict(),
  ROUTING_CHANGED: z
    .object({
      mode: RoutingModeSchema,
      /** SIMULTANEOUS only: the language pair the interpreter is rendering, from → to. */
      direction: z.object({ from: Language, to: Language }).strict().nullable(),
    })
    .strict(),
  SIDEBAR_STARTED: z
    .object({ sidebarId: Uuid, participantIds: z.array(ParticipantIdSchema).min(1).max(8) })
    .strict(),
  SIDEBAR_ENDED: z.object({ sidebarId: Uuid }).strict(),
  /**
   * Booth partners changed who is live (issue 17): ACCEPTED a handover request, TAKEN_OVER at once,
   * or the live partner LEFT and the resting one went on. From null: nobody was live.
   */
  INTERPRETER_HANDOVER: z
    .object({
      fromParticipantId: ParticipantIdSchema.nullable(),
      toParticipantId: ParticipantIdSchema,
      how: z.enum(['ACCEPTED', 'TAKEN_OVER', 'PARTNER_LEFT']),
    })
    .strict(),
  /** An interpreter wrote on the private back-channel (at most once a minute each); never the text. */
  BACK_CHANNEL_USED: z.object({ participantId: ParticipantIdSchema }).strict(),
  /** An interpreter asked the speaker (attorney or client) to pause; nothing of what was said. */
  PAUSE_REQUESTED: z
    .object({
      requestId: Uuid,
      fromParticipantId: ParticipantIdSchema,
      toParticipantId: ParticipantIdSchema,
      toRole: CallRoleSchema,
    })
    .strict(),
  /** The speaker acknowledged the interpreter's "please pause" with one tap. */
  PAUSE_ACKNOWLEDGED: z
    .object({
      requestId: Uuid,
      participantId: ParticipantIdSchema,
      role: CallRoleSchema,
      afterMs: z.number().int().min(0).max(86_400_000),
    })
    .strict(),
  /** Staff added a relay interpreter or booth partner to the booking (issue 17). */
  FURTHER_INTERPRETER_ADDED: z
    .object({
      interpreterId: Uuid,
      kind: z.enum(['RELAY', 'PARTNER']),
      /** The pair they cover. */
      languageA: Language,
      languageB: Language,
    })
    .strict(),
  /** Staff took a relay interpreter or booth partner off the booking. */
  FURTHER_INTERPRETER_REMOVED: z.object({ interpreterId: Uuid, kind: z.enum(['RELAY', 'PARTNER']) }).strict(),
  QUALITY_WARNING: z
    .object({
      participantId: ParticipantIdSchema,
      role: CallRoleSchema,
      lossPct: z.number().min(0).max(100),
      jitterMs: z.number().min(0).max(60_000),
      rttMs: z.number().min(0).max(60_000),
    })
    .strict(),
  /** Parley called a participant's phone; the number itself is never stored, only its last two digits. */
  PHONE_DIAL_OUT: z
    .object({
      dialOutId: Uuid,
      participantId: ParticipantIdSchema,
      role: CallRoleSchema,
      outcome: z.enum(DIAL_OUT_OUTCOMES),
      failure: z.enum(DIAL_OUT_FAILURES).optional(),
      numberEnding: z.number().int().min(0).max(99),
    })
    .strict(),
  CALL_ENDED: z.object({ reason: CallEndReasonSchema }).strict(),
} as const satisfies Record<SessionEventType, z.ZodType>;

type PayloadSchemas = typeof SessionEventPayloadSchemas;
export type SessionEventPayloadOf<T extends SessionEventType> = z.infer<PayloadSchemas[T]>;

function typedEvent<T extends SessionEventType>(type: T) {
  return z.object({ type: z.literal(type), payload: SessionEventPayloadSchemas[type] }).strict();
}

/** A session event's type and payload, discriminated by type. */
export const SessionEventBodySchema = z.discriminatedUnion('type', [
  typedEvent('CONSULTATION_SCHEDULED'),
  typedEvent('CONSULTATION_RESCHEDULED'),
  typedEvent('CONSULTATION_CANCELLED'),
  typedEvent('CONSULTATION_NO_SHOW'),
  typedEvent('FACILITY_CONFIRMATION_REQUESTED'),
  typedEvent('FACILITY_CONFIRMATION_REMINDED'),
  typedEvent('FACILITY_CONFIRMED'),
  typedEvent('FACILITY_DECLINED'),
  typedEvent('FACILITY_PROPOSED_TIME'),
  typedEvent('CLIENT_TRANSFERRED'),
  typedEvent('CALL_STARTED'),
  typedEvent('PARTICIPANT_JOINED'),
  typedEvent('PARTICIPANT_LEFT'),
  typedEvent('PARTICIPANT_RECONNECTED'),
  typedEvent('ROUTING_CHANGED'),
  typedEvent('SIDEBAR_STARTED'),
  typedEvent('SIDEBAR_ENDED'),
  typedEvent('INTERPRETER_HANDOVER'),
  typedEvent('BACK_CHANNEL_USED'),
  typedEvent('PAUSE_REQUESTED'),
  typedEvent('PAUSE_ACKNOWLEDGED'),
  typedEvent('FURTHER_INTERPRETER_ADDED'),
  typedEvent('FURTHER_INTERPRETER_REMOVED'),
  typedEvent('QUALITY_WARNING'),
  typedEvent('PHONE_DIAL_OUT'),
  typedEvent('CALL_ENDED'),
]);
export type SessionEventBody = z.infer<typeof SessionEventBodySchema>;

/**
 * Who caused an event: a user with their role, the facility's scheduling contact (FACILITY, no user
 * id: they answer through a link), or nobody (the system: no-show sweeps, timeouts).
 */
export const SessionEventActorSchema = z
  .object({
    actorUserId: Uuid.nullable(),
    actorRole: z.enum(['ADMIN', 'STAFF', 'ATTORNEY', 'INTERPRETER', 'CLIENT', 'FACILITY']).nullable(),
  })
  .strict();

/** A stored event as the API returns it (timeline entries). */
export type LoggedSessionEvent = SessionEventBody & {
  seq: number;
  occurredAt: string;
  actorUserId: string | null;
  actorRole: string | null;
};
