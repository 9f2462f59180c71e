import type { z } from 'zod';
import { ValidationError } from './AppError.ts';

/**
 * Parses untrusted input at the edge. Never cast request data: a failed parse becomes a 400 with
 * one entry per offending field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  const first = details[0];
  const summary = first ? `${first.path}: ${first.message}` : 'invalid';
  throw new ValidationError(`The ${what} is not valid (${summary})`, details);
}
