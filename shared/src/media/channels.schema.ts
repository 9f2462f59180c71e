import { z } from 'zod';
import { LANGUAGE_CODES } from '../languages.ts';
import { InterpretationModeSchema } from '../scheduling/consultations.schema.ts';
import { checkParticipantsAndSidebars, RoutingParticipantSchema, SidebarSchema } from './routing.schema.ts';

/**
 * Interpretation as language channels (issue 17). A consultation has a floor (the attorney and
 * the client, speaking their own languages) and one channel per language in use. Each interpreter
 * listens to an input — the floor, or another interpreter's output (relay through a pivot
 * language) — and renders into one channel at a time. Booth partners cover the same pair and take
 * turns: only the live one is heard by listeners.
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

/** Everything the channel plan is a function of. */
export const ChannelRoutingInputSchema = z
  .object({
    participants: z.array(RoutingParticipantSchema).max(32),
    mode: InterpretationModeSchema,
    interpreters: z.array(InterpreterChannelSchema).max(8),
    sidebars: z.array(SidebarSchema).max(8),
    /**
     * Each listener's chosen level of the original speaker under their channel's interpretation,
     * 0–1 (the "original" slider). Absent: the product's default duck.
     */
    originalLevels: z.record(IdSchema, z.number().min(0).max(1)).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    checkParticipantsAndSidebars(input, ctx);
    const interpreterIds = new Set<string>();
    input.interpreters.forEach((interpreter, index) => {
      if (interpreterIds.has(interpreter.id))
        ctx.addIssue({
          code: 'custom',
          message: `Two states for interpreter ${interpreter.id}`,
          path: ['interpreters', index],
        });
      interpreterIds.add(interpreter.id);
    });
    input.interpreters.forEach((interpreter, index) => {
      if (interpreter.input.kind === 'RELAY' && !interpreterIds.has(interpreter.input.fromId))
        ctx.addIssue({
          code: 'custom',
          message: `Relay from ${interpreter.input.fromId}, who is not an interpreter of this call`,
          path: ['interpreters', index, 'input'],
        });
    });
  });
export type ChannelRoutingInput = z.infer<typeof ChannelRoutingInputSchema>;
