import { z } from 'zod';
import { InterpretationModeSchema } from '../scheduling/consultations.schema.ts';
import {
  checkParticipantsAndSidebars,
  InterpreterChannelSchema,
  RoutingParticipantSchema,
  SidebarSchema,
} from './routing.schema.ts';

/**
 * Interpretation as language channels (issue 17). A consultation has a floor (the attorney and
 * the client, speaking their own languages) and one channel per language in use. Each interpreter
 * listens to an input — the floor, or another interpreter's output (relay through a pivot
 * language) — and renders into one channel at a time. Booth partners cover the same pair and take
 * turns: only the live one is heard by listeners.
 */

const IdSchema = z.string().min(1).max(200);

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
