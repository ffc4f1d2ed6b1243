import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidInput } from '@handoff/shared';
import { addTagAction } from './actions/add-tag.action.js';
import { grantDownloadsAction } from './actions/grant-downloads.action.js';
import { sendNotificationAction } from './actions/send-notification.action.js';
import { setStatusAction } from './actions/set-status.action.js';
import { buyerCountryCondition } from './conditions/buyer-country.condition.js';
import { buyerLanguageCondition } from './conditions/buyer-language.condition.js';
import { channelCondition } from './conditions/channel.condition.js';
import { containsDigitalCondition } from './conditions/contains-digital.condition.js';
import { orderTagCondition } from './conditions/order-tag.condition.js';
import { productCondition } from './conditions/product.condition.js';
import { totalBetweenCondition } from './conditions/total-between.condition.js';
import type { ActionDefinition, ActionPorts, ConditionDefinition, RuleLine, RuleOrder } from './operation.js';
import type { RuleOperation } from './rule.entity.js';

const list = <T extends { code: string }>(items: T[]) => new Map(items.map((i) => [i.code, i]));

export const CONDITIONS = list<ConditionDefinition<never>>([
  channelCondition,
  containsDigitalCondition,
  productCondition,
  totalBetweenCondition,
  buyerCountryCondition,
  buyerLanguageCondition,
  orderTagCondition,
] as ConditionDefinition<never>[]);

export const ACTIONS = list<ActionDefinition<never>>([
  grantDownloadsAction,
  sendNotificationAction,
  setStatusAction,
  addTagAction,
] as ActionDefinition<never>[]);

function parseArgs(
  definition: {
    args: {
      safeParse(v: unknown): {
        success: boolean;
        data?: unknown;
        error?: { issues: { path: (string | number)[]; message: string }[] };
      };
    };
  },
  op: RuleOperation,
  field: string,
): Record<string, unknown> {
  const result = definition.args.safeParse(op.args ?? {});
  if (!result.success) {
    const issue = result.error!.issues[0]!;
    const where = [field, 'args', ...issue.path].join('.');
    throw invalidInput(`${op.code}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`, where);
  }
  return result.data as Record<string, unknown>;
}

/** Validates stored `{code, args}` lists on save; returns them with defaults filled in. */
export async function validateOperations(
  em: EntityManager,
  merchantId: string,
  conditions: RuleOperation[],
  actions: RuleOperation[],
  ports: ActionPorts,
): Promise<{ conditions: RuleOperation[]; actions: RuleOperation[] }> {
  const checkedConditions = conditions.map((op, i) => {
    const def = CONDITIONS.get(op.code);
    if (!def) throw invalidInput(`unknown condition "${op.code}"`, `conditions.${i}.code`);
    return { code: op.code, args: parseArgs(def, op, `conditions.${i}`) };
  });
  const checkedActions: RuleOperation[] = [];
  for (const [i, op] of actions.entries()) {
    const def = ACTIONS.get(op.code);
    if (!def) throw invalidInput(`unknown action "${op.code}"`, `actions.${i}.code`);
    const args = parseArgs(def, op, `actions.${i}`);
    await def.validate?.(em, merchantId, args as never, ports);
    checkedActions.push({ code: op.code, args });
  }
  return { conditions: checkedConditions, actions: checkedActions };
}

export interface ConditionResult {
  code: string;
  matched: boolean;
  /** Stored args no longer valid (a condition changed shape): counts as not matched. */
  error: string | null;
}

/** Evaluates a rule's conditions: all or any; no conditions at all always matches. */
export function evaluate(
  match: 'all' | 'any',
  conditions: RuleOperation[],
  order: RuleOrder,
  lines: RuleLine[],
): { matched: boolean; results: ConditionResult[] } {
  const results = conditions.map((op): ConditionResult => {
    const def = CONDITIONS.get(op.code);
    if (!def) return { code: op.code, matched: false, error: 'unknown condition' };
    const parsed = def.args.safeParse(op.args ?? {});
    if (!parsed.success) return { code: op.code, matched: false, error: parsed.error.issues[0]!.message };
    return { code: op.code, matched: def.check(order, lines, parsed.data as never), error: null };
  });
  if (results.length === 0) return { matched: true, results };
  const matched = match === 'all' ? results.every((r) => r.matched) : results.some((r) => r.matched);
  return { matched, results };
}
