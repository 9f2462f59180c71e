import { z } from 'zod';
import { LANGUAGE_CODES, type LanguageCode } from '../languages.ts';
import { InterpreterInputSchema, type InterpreterInput } from './routing.schema.ts';

/**
 * The interpreters' console and the listeners' controls over a call's language channels (issue
 * 17): socket messages (parsed on arrival) and what each participant is shown. Metadata only: the
 * back-channel's text is relayed, never stored or logged.
 */

/** An interpreter chooses what they work from: the floor, or relay from another interpreter. */
export const SetInterpreterInputMessageSchema = z.object({ input: InterpreterInputSchema }).strict();
export type SetInterpreterInputMessage = z.infer<typeof SetInterpreterInputMessageSchema>;

/** An interpreter chooses the channel they render into (a language of their pair), or none. */
export const SetInterpreterOutputMessageSchema = z
  .object({ renderingInto: z.enum(LANGUAGE_CODES).nullable() })
  .strict();
export type SetInterpreterOutputMessage = z.infer<typeof SetInterpreterOutputMessageSchema>;

/** A listener (attorney or client) sets how loud the original speaker stays under their channel. */
export const SetOriginalLevelMessageSchema = z.object({ level: z.number().int().min(0).max(100) }).strict();
export type SetOriginalLevelMessage = z.infer<typeof SetOriginalLevelMessageSchema>;

/** The default original level, in percent: the product's duck (DUCKED_GAIN). */
export const DEFAULT_ORIGINAL_LEVEL = 20;

/**
 * Booth partners take turns. REQUEST: the live interpreter asks their partner to take over;
 * ACCEPT: the partner does (they go live, the requester rests); CANCEL: the request is withdrawn;
 * TAKE_OVER: the resting partner goes live at once and the other rests; GO_LIVE / REST: an
 * interpreter switches their own microphone to the listeners on or off (both live is allowed, and
 * warned about, loudly, to both).
 */
export const HANDOVER_ACTIONS = ['REQUEST', 'ACCEPT', 'CANCEL', 'TAKE_OVER', 'GO_LIVE', 'REST'] as const;
export const HandoverMessageSchema = z.object({ action: z.enum(HANDOVER_ACTIONS) }).strict();
export type HandoverMessage = z.infer<typeof HandoverMessageSchema>;

/** Longest back-channel message ("slow down", "the A-number again?", a term): short by design. */
export const BACK_CHANNEL_MAX_CHARS = 500;

/** A private note from one interpreter to the others, relayed at once and never stored. */
export const BackChannelMessageSchema = z
  .object({ text: z.string().trim().min(1).max(BACK_CHANNEL_MAX_CHARS) })
  .strict();
export type BackChannelMessage = z.infer<typeof BackChannelMessageSchema>;

/**
 * An interpreter asks the speaker (the attorney or the client) to pause so they can interpret:
 * `speakerId` is whom; without it, whoever the interpreter hears speaking now.
 */
export const PleasePauseMessageSchema = z
  .object({ speakerId: z.string().min(1).max(100).optional() })
  .strict();
export type PleasePauseMessage = z.infer<typeof PleasePauseMessageSchema>;

/** The speaker acknowledges a "please pause" asked of them, with one tap. */
export const AcknowledgePauseMessageSchema = z.object({ requestId: z.uuid() }).strict();
export type AcknowledgePauseMessage = z.infer<typeof AcknowledgePauseMessageSchema>;

/** How long a "please pause" stays on the speaker's screen, and its answer on the interpreters'. */
export const PAUSE_REQUEST_TTL_MS = 30_000;
/** "Please pause" requests one interpreter may make in a minute. */
export const PAUSE_REQUESTS_PER_MINUTE = 6;

/**
 * A "please pause": the speaker is shown the ones asked of them until they acknowledge (in their
 * state, so in a join's or a media restart's too); the interpreter who asked is shown theirs, with
 * the acknowledgement. Metadata only.
 */
export interface PauseRequestView {
  requestId: string;
  fromParticipantId: string;
  toParticipantId: string;
  requestedAt: string;
  acknowledgedAt: string | null;
}

/** What the interpreters receive of a back-channel note. */
export interface BackChannelNote {
  fromParticipantId: string;
  text: string;
  sentAt: string;
}

/** One interpreter as the call shows them. */
export interface InterpreterView {
  participantId: string;
  /** The two languages they cover. */
  pair: [LanguageCode, LanguageCode];
  input: InterpreterInput;
  renderingInto: LanguageCode | null;
  /** false: resting (the booth partner who is not on). */
  live: boolean;
  /** The interpreters of the same pair present (their booth partners). */
  partnerIds: string[];
}

/** A handover asked for and not yet accepted. */
export interface HandoverRequestView {
  fromId: string;
  toId: string;
  requestedAt: string;
}

/** The call's interpretation as one participant sees it (part of CallState). */
export interface InterpretationView {
  interpreters: InterpreterView[];
  /** Pending handover requests between booth partners. */
  handovers: HandoverRequestView[];
  /** Booth partners live at the same time (each a list of ids): warn them, loudly. */
  bothLive: string[][];
  /** "Please pause" requests this viewer may see (see PauseRequestView); absent from older servers. */
  pauseRequests?: PauseRequestView[];
  /** The viewer's own channel (the language they listen in), and their original level 0–100. */
  channel: LanguageCode;
  originalLevel: number;
}

/** Sent to both partners when both are live: the console warns loudly until one rests. */
export interface BothLiveMessage {
  participantIds: string[];
}
