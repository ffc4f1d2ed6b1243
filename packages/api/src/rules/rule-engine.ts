import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import type { OrderTrigger, TriggerKind } from '../orders/order-trigger.entity.js';
import type { TriggerListener } from '../orders/trigger-dispatcher.js';
import type { ActionContext, ActionPorts } from './operation.js';
import { ACTIONS, evaluate, type ConditionResult } from './registry.js';
import { RuleExecution, type ActionResult } from './rule-execution.entity.js';
import { loadSubject, type RuleSubject } from './rule-subject.js';
import { Rule, type RuleTrigger } from './rule.entity.js';

export const RUN_RULE_QUEUE = 'run-rule';

const RULE_TRIGGER_OF: Partial<Record<TriggerKind, RuleTrigger>> = {
  'order.paid': 'order.paid',
  'order.imported': 'order.imported',
  'order.status_changed': 'order.status_changed',
  'order.cancelled': 'order.cancelled',
  'order.refunded': 'order.refunded',
};

export interface RulePreview {
  rule: Rule;
  trigger: string;
  matched: boolean;
  /** A run of this rule for this trigger already exists for the order (it will not run again). */
  alreadyRan: boolean;
  conditions: ConditionResult[];
  actions: { code: string; summary: string }[];
}

/**
 * Rules react to order triggers: the listener evaluates conditions and inserts one execution per
 * matching rule (ON CONFLICT DO NOTHING on (rule, trigger): the once-guarantee) together with its
 * `run-rule` job; the job runs the actions in order in one transaction.
 */
export class RuleEngine implements TriggerListener {
  readonly name = 'rules';

  constructor(
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    private readonly ports: ActionPorts,
    private readonly log: Logger,
  ) {}

  async handle(parent: EntityManager, trigger: OrderTrigger): Promise<void> {
    // A fork per trigger: the dispatcher's em would otherwise collect every order of the batch, and
    // each flush would walk them all.
    const em = parent.fork();
    const kind = RULE_TRIGGER_OF[trigger.kind];
    if (!kind) return;
    const merchantId = trigger.merchant.id;
    const rules = (
      await em.find(
        Rule,
        { merchant: merchantId, trigger: kind, enabled: true },
        { orderBy: { position: 'asc', id: 'asc' } },
      )
    ).filter(
      (r) => kind !== 'order.status_changed' || r.triggerStatus === null || r.triggerStatus === trigger.toStatus,
    );
    if (rules.length === 0) return;
    const subject = await loadSubject(em, trigger.order.id, merchantId);
    if (!subject) return;
    const matching = rules.filter((r) => evaluate(r.match, r.conditions, subject.view, subject.lines).matched);
    if (matching.length === 0) return;
    await em.transactional(async (tx) => {
      for (const rule of matching)
        await this.enqueue(tx, merchantId, rule.id, subject.order.id, trigger.id, trigger.kind);
    });
  }

  /** Inserts the execution unless it exists, and its job in the same transaction; returns the new id or null. */
  private async enqueue(
    tx: EntityManager,
    merchantId: string,
    ruleId: string,
    orderId: string,
    triggerKey: string,
    trigger: string,
  ): Promise<string | null> {
    const now = this.clock.now();
    const rows = await tx.getConnection().execute<{ id: string }[]>(
      `insert into rule_execution (id, merchant_id, rule_id, order_id, trigger_key, trigger, status, attempts, results, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, 'pending', 0, '[]', ?, ?)
         on conflict (rule_id, trigger_key) do nothing returning id`,
      [randomUUID(), merchantId, ruleId, orderId, triggerKey, trigger, now, now],
      'all',
      tx.getTransactionContext(),
    );
    const id = rows[0]?.id ?? null;
    if (id) await this.queue.send(RUN_RULE_QUEUE, { executionId: id }, {}, tx);
    return id;
  }

  /**
   * The run-rule job: all actions in order, in one transaction with the execution's outcome. A
   * failing action rolls the run back, marks the execution failed with the error (visible on the
   * order) and rethrows so pg-boss retries with backoff.
   */
  async run(em: EntityManager, executionId: string): Promise<'succeeded' | 'skipped'> {
    const now = this.clock.now();
    const claimed = await em.getConnection().execute<{ id: string }[]>(
      `update rule_execution set status = 'running', attempts = attempts + 1, updated_at = ?
         where id = ? and status <> 'succeeded' returning id`,
      [now, executionId],
    );
    if (claimed.length === 0) return 'skipped';
    const execution = await em.findOneOrFail(RuleExecution, { id: executionId }, { populate: ['rule'], refresh: true });
    const rule = execution.rule;
    const merchantId = execution.merchant.id;
    const actor = `rule:${rule.name}`.slice(0, 200);
    const results: ActionResult[] = [];
    try {
      await em.transactional(async (tx) => {
        const subject = await loadSubject(tx, execution.order.id, merchantId);
        if (!subject) throw new Error('the order no longer exists');
        for (const [actionIndex, op] of rule.actions.entries()) {
          const def = ACTIONS.get(op.code);
          if (!def) throw new Error(`unknown action "${op.code}"`);
          const parsed = def.args.safeParse(op.args ?? {});
          if (!parsed.success) throw new Error(`${op.code}: invalid arguments: ${parsed.error.issues[0]!.message}`);
          const ctx = this.actionContext(tx, subject, merchantId, actor, rule.id, execution.id, actionIndex);
          try {
            results.push({ code: op.code, ...(await def.apply(ctx, parsed.data as never)) });
          } catch (error) {
            results.push({ code: op.code, status: 'failed', detail: message(error) });
            throw error;
          }
        }
        const finishedAt = this.clock.now();
        await tx.nativeUpdate(
          RuleExecution,
          { id: execution.id },
          { status: 'succeeded', results, lastError: null, finishedAt, updatedAt: finishedAt },
        );
        tx.create(OrderEvent, {
          merchant: merchantId,
          order: execution.order.id,
          type: 'rule_ran',
          source: 'system',
          actor,
          data: { ruleId: rule.id, executionId: execution.id, trigger: execution.trigger, results },
          createdAt: finishedAt,
        });
      });
      return 'succeeded';
    } catch (error) {
      const at = this.clock.now();
      // The run rolled back: earlier actions of this attempt left nothing behind.
      const recorded = results.map((r) => (r.status === 'failed' ? r : { ...r, detail: `${r.detail} (rolled back)` }));
      const fork = em.fork();
      await fork.nativeUpdate(
        RuleExecution,
        { id: execution.id },
        { status: 'failed', lastError: message(error), results: recorded, updatedAt: at },
      );
      fork.create(OrderEvent, {
        merchant: merchantId,
        order: execution.order.id,
        type: 'rule_failed',
        source: 'system',
        actor,
        data: { ruleId: rule.id, executionId: execution.id, error: message(error), attempt: execution.attempts },
        createdAt: at,
      });
      await fork.flush();
      this.log.warn({ executionId, ruleId: rule.id, err: error }, 'rule run failed');
      throw error;
    }
  }

  /** Runs a rule on an order by hand: a new execution (`manual:<uuid>`), conditions not asked. */
  async rerunRule(ctx: MerchantContext, ruleId: string, orderId: string): Promise<RuleExecution> {
    const merchantId = ctx.actor.merchantId;
    const rule = isUuid(ruleId) ? await ctx.em.findOne(Rule, { id: ruleId, merchant: merchantId }) : null;
    if (!rule) throw notFound('Rule');
    const subject = isUuid(orderId) ? await loadSubject(ctx.em, orderId, merchantId) : null;
    if (!subject) throw notFound('Order');
    const id = await ctx.em.transactional(async (tx) => {
      const created = await this.enqueue(tx, merchantId, rule.id, subject.order.id, `manual:${randomUUID()}`, 'manual');
      tx.create(OrderEvent, {
        merchant: merchantId,
        order: subject.order.id,
        type: 'rule_rerun_requested',
        source: 'merchant',
        actor: ctx.actor.name,
        data: { ruleId: rule.id, executionId: created },
        createdAt: this.clock.now(),
      });
      return created;
    });
    return ctx.em.findOneOrFail(RuleExecution, { id: id! });
  }

  /** Dry run: for every enabled rule, whether it would fire on this order now and what each action would do. */
  async previewRules(ctx: MerchantContext, orderId: string): Promise<RulePreview[]> {
    const merchantId = ctx.actor.merchantId;
    const subject = isUuid(orderId) ? await loadSubject(ctx.em, orderId, merchantId) : null;
    if (!subject) throw notFound('Order');
    const [rules, executions] = await Promise.all([
      ctx.em.find(
        Rule,
        { merchant: merchantId, enabled: true },
        { orderBy: { trigger: 'asc', position: 'asc', id: 'asc' } },
      ),
      ctx.em.find(RuleExecution, { order: subject.order.id, merchant: merchantId }, { fields: ['rule', 'trigger'] }),
    ]);
    const ran = new Set(executions.filter((e) => e.trigger !== 'manual').map((e) => e.rule.id));
    const previews: RulePreview[] = [];
    for (const rule of rules) {
      const { matched, results } = evaluate(rule.match, rule.conditions, subject.view, subject.lines);
      const actions = [];
      for (const op of rule.actions) {
        const def = ACTIONS.get(op.code);
        const parsed = def?.args.safeParse(op.args ?? {});
        if (!def || !parsed?.success) {
          actions.push({ code: op.code, summary: 'would fail: unknown action or invalid arguments' });
          continue;
        }
        const ctxForDescribe = this.actionContext(ctx.em, subject, merchantId, `rule:${rule.name}`, rule.id, '', 0);
        actions.push({ code: op.code, summary: await def.describe(ctxForDescribe, parsed.data as never) });
      }
      previews.push({
        rule,
        trigger:
          rule.trigger === 'order.status_changed' && rule.triggerStatus
            ? `${rule.trigger}:${rule.triggerStatus}`
            : rule.trigger,
        matched,
        alreadyRan: ran.has(rule.id),
        conditions: results,
        actions,
      });
    }
    return previews;
  }

  private actionContext(
    em: EntityManager,
    subject: RuleSubject,
    merchantId: string,
    actor: string,
    ruleId: string,
    executionId: string,
    actionIndex: number,
  ): ActionContext {
    return {
      em,
      clock: this.clock,
      merchantId,
      actor,
      ruleId,
      executionId,
      actionIndex,
      order: subject.order,
      lines: subject.lines,
      ports: this.ports,
    };
  }
}

function message(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).slice(0, 2000);
}
