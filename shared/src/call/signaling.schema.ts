import { z } from 'zod';
import type { ErrorBody } from '../errors.ts';
import { LANGUAGE_CODES, type LanguageCode } from '../languages.ts';
import { InterpretationModeSchema } from '../scheduling/consultations.schema.ts';
import type { ListenerRouting } from '../media/routing.schema.ts';
import type {
  AcknowledgePauseMessage,
  BackChannelMessage,
  BackChannelNote,
  BothLiveMessage,
  HandoverMessage,
  InterpretationView,
  PleasePauseMessage,
  SetInterpreterInputMessage,
  SetInterpreterOutputMessage,
  SetOriginalLevelMessage,
} from '../media/interpretation.schema.ts';
import type {
  ConnectTransportMessage,
  ConsumersMessage,
  MediaNegotiation,
  ProduceMessage,
  ProduceResult,
  ReceiveCapabilitiesMessage,
} from '../media/negotiation.schema.ts';
import type { CallEndReason } from '../sessionLog/events.schema.ts';
import type { CallRole } from './callAccess.schema.ts';

/**
 * The call's signalling protocol over socket.io (namespace `/call`). Every client message is
 * parsed with these schemas on arrival; every one is acknowledged with `Ack<T>`.
 */

export const JoinMessageSchema = z.object({ token: z.string().min(20).max(4000) }).strict();
export type JoinMessage = z.infer<typeof JoinMessageSchema>;

export const SessionDescriptionSchema = z
  .object({ type: z.enum(['offer', 'answer']), sdp: z.string().min(10).max(100_000) })
  .strict();
export type SessionDescriptionMessage = z.infer<typeof SessionDescriptionSchema>;

export const AnswerMessageSchema = z.object({ answer: SessionDescriptionSchema }).strict();
export type AnswerMessage = z.infer<typeof AnswerMessageSchema>;

export const CandidateMessageSchema = z
  .object({
    candidate: z
      .object({
        candidate: z.string().max(2000),
        sdpMid: z.string().max(64).nullable().optional(),
        sdpMLineIndex: z.number().int().min(0).max(255).nullable().optional(),
        usernameFragment: z.string().max(256).nullable().optional(),
      })
      .nullable(),
  })
  .strict();
export type CandidateMessage = z.infer<typeof CandidateMessageSchema>;

/** The interpreter's console: the mode switch and the "light switch" direction. */
export const SetInterpretationMessageSchema = z
  .object({
    mode: InterpretationModeSchema,
    /** SIMULTANEOUS: the language being rendered into (English or the client's language). */
    renderingInto: z.enum(LANGUAGE_CODES).nullable(),
  })
  .strict();
export type SetInterpretationMessage = z.infer<typeof SetInterpretationMessageSchema>;

/** The attorney starts or stops a private sidebar with the interpreter. */
export const SetSidebarMessageSchema = z.object({ active: z.boolean() }).strict();
export type SetSidebarMessage = z.infer<typeof SetSidebarMessageSchema>;

export const SetMutedMessageSchema = z.object({ audio: z.boolean(), video: z.boolean() }).strict();
export type SetMutedMessage = z.infer<typeof SetMutedMessageSchema>;

export const EmptyMessageSchema = z.object({}).strict();

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'left';
export type QualityLevel = 'good' | 'fair' | 'poor';

export interface CallParticipantView {
  participantId: string;
  role: CallRole;
  displayName: string;
  /** How they are in the call: a browser, a facility kiosk, or a phone leg (SIP). Never their number. */
  device: 'BROWSER' | 'KIOSK' | 'PHONE';
  status: ConnectionStatus;
  muted: { audio: boolean; video: boolean };
  quality: { level: QualityLevel; lossPct: number; jitterMs: number; rttMs: number | null } | null;
}

/** What everyone in the call sees; sent to all on every change. Metadata only. */
export interface CallState {
  consultationId: string;
  /** The client waits here, in their language, until the attorney is in. */
  lobby: boolean;
  mode: 'CONSECUTIVE' | 'SIMULTANEOUS';
  renderingInto: LanguageCode | null;
  /** The client's language and the attorney's, for the interpreter's light switch. */
  languages: { client: LanguageCode; attorney: LanguageCode };
  sidebar: { active: boolean; memberIds: string[] };
  participants: CallParticipantView[];
  activeSpeakerId: string | null;
  /** Language channels, interpreters (relay, booth partners) and the viewer's own channel (issue 17). */
  interpretation?: InterpretationView;
  /** The call is cut at this instant (the facility's maximum length). */
  endsAt: string;
  /** A warning is shown from this instant (five minutes before the end). */
  warnAt: string;
}

export interface JoinResult {
  participantId: string;
  role: CallRole;
  /**
   * How to set up the media connection, by the engine's kind (an SDP offer to answer, or
   * transports to drive); null for staff, who receive no media.
   */
  media: MediaNegotiation | null;
  state: CallState;
  routing: ListenerRouting | null;
}

/**
 * The answer to `restartMedia`: a new media connection in the same place (same seat, routing and
 * sidebar), for a participant whose audio and video connection failed while signalling held.
 */
export interface MediaRestartResult {
  /** The new connection's negotiation; set it up as a join's. */
  media: MediaNegotiation;
  state: CallState;
  /** The routing of the new connection's tracks (its mids are new). */
  routing: ListenerRouting | null;
}

/**
 * Sent to a connection just before the server closes it because a newer join of the same person
 * (another window or device, a reload) took their place. The client should not reconnect by
 * itself: the call goes on elsewhere. Joining again takes the place back.
 */
export type ReplacedMessage = Record<string, never>;

export type Ack<T> = { ok: true; data: T } | ({ ok: false } & ErrorBody);

export interface ClientToServerEvents {
  join: (message: JoinMessage, ack: (result: Ack<JoinResult>) => void) => void;
  /** `sdp` negotiation: the answer to the server's offer, and trickled candidates. */
  answer: (message: AnswerMessage, ack: (result: Ack<null>) => void) => void;
  candidate: (message: CandidateMessage, ack: (result: Ack<null>) => void) => void;
  /** `mediasoup` negotiation: a transport's DTLS parameters, a named slot produced, what the device receives. */
  connectTransport: (message: ConnectTransportMessage, ack: (result: Ack<null>) => void) => void;
  produce: (message: ProduceMessage, ack: (result: Ack<ProduceResult>) => void) => void;
  receiveCapabilities: (message: ReceiveCapabilitiesMessage, ack: (result: Ack<null>) => void) => void;
  setInterpretation: (message: SetInterpretationMessage, ack: (result: Ack<null>) => void) => void;
  setSidebar: (message: SetSidebarMessage, ack: (result: Ack<null>) => void) => void;
  setMuted: (message: SetMutedMessage, ack: (result: Ack<null>) => void) => void;
  /** An interpreter asks the speaker to pause; the speaker acknowledges it with one tap. */
  pleasePause: (message: PleasePauseMessage, ack: (result: Ack<null>) => void) => void;
  acknowledgePause: (message: AcknowledgePauseMessage, ack: (result: Ack<null>) => void) => void;
  /** Interpreters (issue 17): input (floor or relay), output channel, booth handover, back-channel. */
  setInterpreterInput: (message: SetInterpreterInputMessage, ack: (result: Ack<null>) => void) => void;
  setInterpreterOutput: (message: SetInterpreterOutputMessage, ack: (result: Ack<null>) => void) => void;
  handover: (message: HandoverMessage, ack: (result: Ack<null>) => void) => void;
  backChannel: (message: BackChannelMessage, ack: (result: Ack<null>) => void) => void;
  /** The attorney or the client: how loud the original speaker stays under their channel. */
  setOriginalLevel: (message: SetOriginalLevelMessage, ack: (result: Ack<null>) => void) => void;
  /** The media connection failed (ICE): a new one in the same place. Not for staff, who have none. */
  restartMedia: (message: Record<string, never>, ack: (result: Ack<MediaRestartResult>) => void) => void;
  leave: (message: Record<string, never>, ack: (result: Ack<null>) => void) => void;
  endCall: (message: Record<string, never>, ack: (result: Ack<null>) => void) => void;
}

export interface ServerToClientEvents {
  state: (state: CallState) => void;
  routing: (routing: ListenerRouting) => void;
  /** `mediasoup` negotiation: streams to consume on the receive transport. */
  consumers: (message: ConsumersMessage) => void;
  /**
   * The server's media engine lost this media connection (a worker process died): ask for a new
   * one (`restartMedia`) now rather than wait for ICE to notice. Seat, routing and sidebar are kept.
   */
  mediaLost: (message: Record<string, never>) => void;
  /** To the speaker asked to pause (the request is in their state until acknowledged). */
  pleasePause: (message: { fromParticipantId: string; requestId: string }) => void;
  /** To the interpreters only: a back-channel note (never stored). */
  backChannel: (message: BackChannelNote) => void;
  /** To booth partners who are both live. */
  bothLive: (message: BothLiveMessage) => void;
  timeWarning: (message: { minutesLeft: number }) => void;
  ended: (message: { reason: CallEndReason }) => void;
  replaced: (message: ReplacedMessage) => void;
}
