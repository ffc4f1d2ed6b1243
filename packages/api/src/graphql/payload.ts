import { HandoffError } from '@handoff/shared';
import type { UserError } from './relay.js';

/**
 * Runs a mutation's service call: expected failures become `userErrors` (the caller can show them),
 * anything else is thrown and masked by the error formatter.
 */
export async function payload<K extends string, T>(
  key: K,
  run: () => Promise<T>,
): Promise<{ [P in K]: T | null } & { userErrors: UserError[] }> {
  try {
    return { [key]: await run(), userErrors: [] } as { [P in K]: T } & { userErrors: UserError[] };
  } catch (error) {
    if (!(error instanceof HandoffError)) throw error;
    const userError: UserError = {
      field: error.field ? error.field.split('.') : null,
      message: error.message,
      code: error.code,
    };
    return { [key]: null, userErrors: [userError] } as { [P in K]: null } & { userErrors: UserError[] };
  }
}
