import { z } from 'zod';
import { CallRoleSchema } from '../call/callAccess.schema.ts';
import { LANGUAGE_CODES } from '../languages.ts';
import { InterpretationModeSchema } from '../scheduling/consultations.schema.ts';

/**
 * The inputs and output of the audio routing plan (DESIGN.md, "The call and its audio routing").
 * Socket messages carry these, so the client can render the same plan the server enforces.
 */

/** A call participant as routing sees it: who they are, what part they play, what they understand. */
export const RoutingParticipantSchema = z
  .object({
    id: z.string().min(1).max(200),
    role: CallRoleSchema,
    /** The language the participant listens in (BCP-47 code from the product's list). */
    language: z.enum(LANGUAGE_CODES),
  })
  .strict();
export type RoutingParticipant = z.infer<typeof RoutingParticipantSchema>;

/**
 * Interpretation as language channels (issue 17; the plan is `planChannelRouting`). Each
 * interpreter listens to an input — the floor, or another interpreter's output (relay through a
 * pivot language) — and renders into one channel at a time. Booth partners cover the same pair and
 * take turns: only the live one is heard by listeners.
 */
const IdSchema = z.string().min(1).max(200);
const LanguageSchema = z.enum(LANGUAGE_CODES);

/** What an interpreter works from. */
export const InterpreterInputSchema = z.discriminatedUnion('kind', [
  /** The original speech: everyone on the floor at full level. */
  z.object({ kind: z.literal('FLOOR') }).strict(),
  /** Relay: another interpreter's output at full level, the floor ducked under it. */
  z.object({ kind: z.literal('RELAY'), fromId: IdSchema }).strict(),
]);
export type InterpreterInput = z.infer<typeof InterpreterInputSchema>;

/** One interpreter's part in the plan. An interpreter present without one is live, from the floor, into nobody. */
export const InterpreterChannelSchema = z
  .object({
    id: IdSchema,
    /**
     * The two languages they cover (e.g. English and Spanish, or Spanish and Mam). Booth partners
     * cover the same pair. Absent: a single interpreter of a two-language call, who hears everyone.
     */
    pair: z.tuple([LanguageSchema, LanguageSchema]).optional(),
    input: InterpreterInputSchema,
    /** The channel they render into now (the light switch); null: into nobody, heard by everyone. */
    renderingInto: LanguageSchema.nullable(),
    /** false: the resting booth partner, heard only by interpreters. */
    live: z.boolean(),
  })
  .strict()
  .refine((i) => !i.pair || i.pair[0] !== i.pair[1], {
    message: 'An interpreter covers two different languages',
    path: ['pair'],
  })
  .refine((i) => !i.pair || i.renderingInto === null || i.pair.includes(i.renderingInto), {
    message: 'An interpreter renders only into a language of their pair',
    path: ['renderingInto'],
  })
  .refine((i) => i.input.kind !== 'RELAY' || i.input.fromId !== i.id, {
    message: 'An interpreter cannot relay from themself',
    path: ['input'],
  });
export type InterpreterChannel = z.infer<typeof InterpreterChannelSchema>;

/**
 * What the interpreter is doing in SIMULTANEOUS mode: the language they are rendering into (the
 * "light switch": toward the attorney's English or toward the client's language). `null` while
 * they render into nobody (before the first toggle): then nobody is ducked and the interpreter is
 * heard like everyone else. Ignored in CONSECUTIVE mode.
 */
export const InterpreterStateSchema = z
  .object({
    renderingInto: z.enum(LANGUAGE_CODES).nullable(),
    /**
     * Each interpreter's own channel state (relay, booth partners: issue 17). When present the plan
     * is `planChannelRouting` over these, and `renderingInto` is only what a call of one
     * interpreter shows; absent, every interpreter renders into `renderingInto` from the floor.
     */
    channels: z.array(InterpreterChannelSchema).max(8).optional(),
    /** Each listener's chosen level of the original under their channel, 0–1 (absent: the default duck). */
    originalLevels: z.record(IdSchema, z.number().min(0).max(1)).optional(),
  })
  .strict();
export type InterpreterState = z.infer<typeof InterpreterStateSchema>;

/** A subset of the call talking privately; nobody outside it receives a packet of its members. */
export const SidebarSchema = z
  .object({
    id: z.string().min(1).max(200),
    memberIds: z.array(z.string().min(1).max(200)).min(1).max(16),
    /**
     * false: the members hear nothing of the main room either (a lobby: the client waits, and
     * neither hears nor is heard, until the attorney is in). Default true: members hear the main
     * room in the background.
     */
    hearsMainRoom: z.boolean().optional(),
  })
  .strict();
export type Sidebar = z.infer<typeof SidebarSchema>;

/**
 * The checks every routing input shares: participant ids are unique, sidebar members are
 * participants, and nobody is in two sidebars.
 */
export function checkParticipantsAndSidebars(
  input: { participants: readonly { id: string }[]; sidebars: readonly Sidebar[] },
  ctx: z.RefinementCtx,
): void {
  const ids = new Set<string>();
  for (const p of input.participants) {
    if (ids.has(p.id))
      ctx.addIssue({ code: 'custom', message: `Duplicate participant ${p.id}`, path: ['participants'] });
    ids.add(p.id);
  }
  const inSidebar = new Set<string>();
  input.sidebars.forEach((sidebar, index) => {
    for (const memberId of sidebar.memberIds) {
      if (!ids.has(memberId))
        ctx.addIssue({
          code: 'custom',
          message: `Unknown sidebar member ${memberId}`,
          path: ['sidebars', index],
        });
      if (inSidebar.has(memberId))
        ctx.addIssue({
          code: 'custom',
          message: `${memberId} is in two sidebars`,
          path: ['sidebars', index],
        });
      inSidebar.add(memberId);
    }
  });
}

/** Everything the plan is a function of, validated together (ids exist, sidebars are disjoint). */
export const RoutingInputSchema = z
  .object({
    participants: z.array(RoutingParticipantSchema).max(32),
    mode: InterpretationModeSchema,
    interpreterState: InterpreterStateSchema,
    sidebars: z.array(SidebarSchema).max(8),
  })
  .strict()
  .superRefine(checkParticipantsAndSidebars);

export type RoutingInput = z.infer<typeof RoutingInputSchema>;

/** Why a speaker's audio is not sent to a listener. */
export const NOT_SENT_REASONS = [
  /** Nobody receives their own audio. */
  'SELF',
  /** Facility staff neither send nor receive media. */
  'STAFF',
  /** The speaker is in a sidebar the listener is not in. */
  'SIDEBAR_PRIVACY',
  /** SIMULTANEOUS: the interpreter is rendering into another channel (language) than the listener's. */
  'OTHER_DIRECTION',
  /** The interpreter is the resting booth partner: only interpreters hear them. */
  'PARTNER_RESTING',
  /** The pair is not in the plan (a participant it was not made for): fail closed. */
  'NOT_IN_PLAN',
] as const;
export const NotSentReasonSchema = z.enum(NOT_SENT_REASONS);
export type NotSentReason = z.infer<typeof NotSentReasonSchema>;

/** One (listener, speaker) decision: not sent at all, or sent and played at a gain in [0, 1]. */
export const RouteDecisionSchema = z.discriminatedUnion('sent', [
  z.object({ sent: z.literal(false), reason: NotSentReasonSchema }).strict(),
  z.object({ sent: z.literal(true), gain: z.number().min(0).max(1) }).strict(),
]);
export type RouteDecision = z.infer<typeof RouteDecisionSchema>;

export const AudioRouteSchema = z
  .object({
    listenerId: z.string().min(1).max(200),
    speakerId: z.string().min(1).max(200),
    decision: RouteDecisionSchema,
  })
  .strict();
export type AudioRoute = z.infer<typeof AudioRouteSchema>;

/** A decision for every ordered (listener, speaker) pair of participants, self-pairs included. */
export const AudioRoutingPlanSchema = z.object({ routes: z.array(AudioRouteSchema).max(1024) }).strict();
export type AudioRoutingPlan = z.infer<typeof AudioRoutingPlanSchema>;

/**
 * The routing state a call holds and the interpreter/attorney controls change: the plan is
 * computed from it and the participants present. Sidebar members who are away stay listed, so
 * someone reconnecting returns to their sidebar.
 */
export const RoutingStateSchema = z
  .object({
    mode: InterpretationModeSchema,
    interpreterState: InterpreterStateSchema,
    sidebars: z.array(SidebarSchema).max(8),
  })
  .strict()
  .refine(
    (state) => {
      const ids = state.sidebars.flatMap((s) => s.memberIds);
      return new Set(ids).size === ids.length;
    },
    { message: 'A participant is in one sidebar at most', path: ['sidebars'] },
  );
export type RoutingState = z.infer<typeof RoutingStateSchema>;

export const MEDIA_KINDS = ['audio', 'video'] as const;
export const MediaKindSchema = z.enum(MEDIA_KINDS);
export type MediaKind = z.infer<typeof MediaKindSchema>;

/**
 * What one listener's client is told after every routing change: which of its receiving tracks
 * (by SDP mid) carries whom, whether the server is sending it, and the gain to play it at. Plans
 * are ordered by `version`: a client applies only a newer one.
 */
export const ListenerRoutingSchema = z
  .object({
    version: z.number().int().min(0),
    tracks: z
      .array(
        z
          .object({
            mid: z.string().min(1).max(32),
            kind: MediaKindSchema,
            speakerId: z.string().min(1).max(200),
            sent: z.boolean(),
            gain: z.number().min(0).max(1),
          })
          .strict(),
      )
      .max(64),
  })
  .strict();
export type ListenerRouting = z.infer<typeof ListenerRoutingSchema>;
