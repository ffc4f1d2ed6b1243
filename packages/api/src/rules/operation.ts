import type { EntityManager } from '@mikro-orm/postgresql';
import type { ZodType, ZodTypeDef } from 'zod';
import type { HubStatus } from '@handoff/shared';
import type { Clock } from '../clock.js';
import type { Order } from '../orders/order.entity.js';

/** The order as conditions see it: plain values, loaded once per trigger. */
export interface RuleOrder {
  id: string;
  merchantId: string;
  connectionId: string;
  channelKind: string;
  number: string;
  status: HubStatus;
  total: number;
  currency: string;
  buyerEmail: string | null;
  buyerCountry: string | null;
  buyerLanguage: string | null;
  tags: string[];
}

export interface RuleLine {
  id: string;
  sku: string | null;
  productId: string | null;
  digital: boolean;
  cancelled: boolean;
  quantity: number;
  refundedQuantity: number;
}

/** A registered condition: stable code, typed args with defaults, a pure check. */
export interface ConditionDefinition<A = unknown> {
  code: string;
  description: string;
  args: ZodType<A, ZodTypeDef, unknown>;
  check(order: RuleOrder, lines: RuleLine[], args: A): boolean;
}

export interface ActionOutcome {
  status: 'done' | 'skipped';
  detail: string;
  [key: string]: unknown;
}

/** What an action may use; in a dry run (`preview`) nothing may be written. */
export interface ActionContext {
  em: EntityManager;
  clock: Clock;
  merchantId: string;
  /** Who the order history names: `rule:<name>`. */
  actor: string;
  ruleId: string;
  /** The execution being run; its id and the action's index make the dedup key of its side effects. */
  executionId: string;
  actionIndex: number;
  order: Order;
  lines: RuleLine[];
  ports: ActionPorts;
}

/** The collaborators actions reach through (set up in services.ts). */
export interface ActionPorts {
  grantDownloads:
    | ((
        em: EntityManager,
        orderId: string,
        actor: { merchantId: string; name: string; source?: 'system' },
      ) => Promise<{ created: number }>)
    | null;
  queueNotification(
    ctx: ActionContext,
    args: { templateId: string; transport: 'email' | 'channel' | 'email_then_channel' },
  ): Promise<ActionOutcome>;
  channelCanMessage(em: EntityManager, connectionId: string): Promise<boolean>;
  templateExists(em: EntityManager, merchantId: string, templateId: string): Promise<boolean>;
  templateName(em: EntityManager, merchantId: string, templateId: string): Promise<string | null>;
}

/** A registered action: stable code, typed args with defaults, `apply` (in the run's transaction) and a dry-run `describe`. */
export interface ActionDefinition<A = unknown> {
  code: string;
  description: string;
  args: ZodType<A, ZodTypeDef, unknown>;
  /** Checks beyond the shape that need the database (a template that exists); throws BAD_USER_INPUT. */
  validate?(em: EntityManager, merchantId: string, args: A, ports: ActionPorts): Promise<void>;
  describe(ctx: Omit<ActionContext, 'executionId' | 'actionIndex'>, args: A): Promise<string>;
  apply(ctx: ActionContext, args: A): Promise<ActionOutcome>;
}

export const defineCondition = <A>(c: ConditionDefinition<A>): ConditionDefinition<A> => c;
export const defineAction = <A>(a: ActionDefinition<A>): ActionDefinition<A> => a;
