import type { ZodType, ZodTypeDef } from 'zod';
import { invalidInput } from '@handoff/shared';

/** Parses input with a zod schema; the first problem becomes a BAD_USER_INPUT naming its field. */
export function parseInput<Out, In>(schema: ZodType<Out, ZodTypeDef, In>, input: unknown): Out {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || undefined;
  throw invalidInput(field ? `${field}: ${issue.message}` : issue.message, field);
}
