import type { EntityManager } from '@mikro-orm/postgresql';
import type { ZodType, ZodTypeDef } from 'zod';
import type { HubStatus } from '@handoff/shared';
import type { Clock } from '../clock.js';
import type { OrderFacts } from '../orders/order-facts.js';

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

/** What an action may read; in a dry run (`describe`) nothing may be written. */
export interface ActionContext {
  /** For reads only: a run's writes go through `run` and commit together with its outcome. */
  em: EntityManager;
  clock: Clock;
  merchantId: string;
  /** Who the order history names: `rule:<name>`. */
  actor: string;
  ruleId: string;
  order: OrderFacts;
  lines: RuleLine[];
  ports: ActionPorts;
}

/** An action applied within a run: its writes are collected by `run` and dropped if the run fails. */
export interface ApplyContext extends ActionContext {
  /** The execution being run; its id and the action's index make the dedup key of its side effects. */
  executionId: string;
  actionIndex: number;
  run: ExecutionRun;
}

/** The writes an action can make, committed with the execution's outcome in one batch transaction. */
export interface ExecutionRun {
  /** Plans the order's missing download grants (visible to later actions of this run, e.g. a template). */
  grantDownloads(): Promise<{ created: number }>;
  /** Renders a template for the order and queues the message in the outbox. */
  queueNotification(args: {
    templateId: string;
    transport: 'email' | 'channel' | 'email_then_channel';
  }): Promise<ActionOutcome>;
  /** A statement to run in the commit transaction (order updates that are not batched). */
  onCommit(write: (tx: EntityManager) => Promise<void>): void;
  /** An entry in the order's history, written at commit. */
  event(type: string, data: Record<string, unknown>, status?: { from: string; to: string }): void;
}

/** The collaborators a dry run and the rule editor reach through (set up in services.ts). */
export interface ActionPorts {
  channelCanMessage(em: EntityManager, connectionId: string): Promise<boolean>;
  templateExists(em: EntityManager, merchantId: string, templateId: string): Promise<boolean>;
  templateName(em: EntityManager, merchantId: string, templateId: string): Promise<string | null>;
}

/** A registered action: stable code, typed args with defaults, `apply` (writes through `ctx.run`) and a dry-run `describe`. */
export interface ActionDefinition<A = unknown> {
  code: string;
  description: string;
  args: ZodType<A, ZodTypeDef, unknown>;
  /** Checks beyond the shape that need the database (a template that exists); throws BAD_USER_INPUT. */
  validate?(em: EntityManager, merchantId: string, args: A, ports: ActionPorts): Promise<void>;
  describe(ctx: ActionContext, args: A): Promise<string>;
  apply(ctx: ApplyContext, args: A): Promise<ActionOutcome>;
}

export const defineCondition = <A>(c: ConditionDefinition<A>): ConditionDefinition<A> => c;
export const defineAction = <A>(a: ActionDefinition<A>): ActionDefinition<A> => a;
