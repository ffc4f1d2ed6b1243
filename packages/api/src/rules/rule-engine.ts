import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { sql } from '../db/sql.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import type { TriggerKind } from '../orders/order-trigger.entity.js';
import type { DispatchedTrigger } from '../orders/order-trigger.repository.js';
import type { TriggerListener } from '../orders/trigger-dispatcher.js';
import type { ActionContext, ActionPorts } from './operation.js';
import { ACTIONS, evaluate, type ConditionResult } from './registry.js';
import { RuleExecution } from './rule-execution.entity.js';
import { loadSubject, loadSubjects, type RuleSubject } from './rule-subject.js';
import { Rule, type RuleTrigger } from './rule.entity.js';
import type { RuleRunner } from './runs/rule-runner.js';

export const RUN_RULE_QUEUE = 'run-rule';

/** The run-rule job of executions the listener runs itself waits this long: it only catches what that run left. */
const EAGER_RUN_GRACE_SECONDS = 60;

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
 * Rules react to order triggers: the listener evaluates conditions, inserts one execution per
 * matching rule (ON CONFLICT DO NOTHING on (rule, trigger): the once-guarantee) together with a
 * delayed `run-rule` job for the page, and runs the executions at once (RuleRunner); the job runs
 * whatever did not succeed (a crash, a failing action: retried with backoff from there).
 */
export class RuleEngine implements TriggerListener {
  readonly name = 'rules';

  constructor(
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    private readonly ports: ActionPorts,
    private readonly runner: RuleRunner,
    private readonly log: Logger,
  ) {}

  /**
   * Triggers of a dispatch page: one rules query, the orders in two, conditions in memory, the new
   * executions in one statement, then their run (RuleRunner) right here.
   */
  async handle(em: EntityManager, triggers: DispatchedTrigger[]): Promise<void> {
    const relevant = triggers.filter((t) => RULE_TRIGGER_OF[t.kind]);
    if (relevant.length === 0) return;
    const rules = await em.find(
      Rule,
      {
        merchant: { $in: [...new Set(relevant.map((t) => t.merchantId))] },
        trigger: { $in: [...new Set(relevant.map((t) => RULE_TRIGGER_OF[t.kind]!))] },
        enabled: true,
      },
      { orderBy: { position: 'asc', id: 'asc' } },
    );
    const candidates = new Map<DispatchedTrigger, Rule[]>();
    for (const t of relevant) {
      const matching = rules.filter(
        (r) =>
          r.merchant.id === t.merchantId &&
          r.trigger === RULE_TRIGGER_OF[t.kind] &&
          (r.trigger !== 'order.status_changed' || r.triggerStatus === null || r.triggerStatus === t.toStatus),
      );
      if (matching.length) candidates.set(t, matching);
    }
    if (candidates.size === 0) return;
    const subjects = await loadSubjects(
      em,
      null,
      [...candidates.keys()].map((t) => t.orderId),
    );
    const drafts: ExecutionDraft[] = [];
    for (const [trigger, triggerRules] of candidates) {
      const subject = subjects.get(trigger.orderId);
      if (!subject) continue;
      for (const rule of triggerRules) {
        if (!evaluate(rule.match, rule.conditions, subject.view, subject.lines).matched) continue;
        drafts.push({
          merchantId: trigger.merchantId,
          ruleId: rule.id,
          orderId: trigger.orderId,
          triggerKey: trigger.id,
          trigger: trigger.kind,
        });
      }
    }
    if (drafts.length === 0) return;
    // The executions run right here, with the rules and orders this page loaded. Their job is the
    // safety net (a crash before the run, a failed run's retries with backoff): queued first, to
    // start later; if the insert below fails it finds nothing. (pg-boss cannot delay a job written
    // through the ORM's transaction.) The insert is one statement, so it needs no transaction.
    const rows = drafts.map((d) => ({ ...d, id: randomUUID() }));
    const merchants = new Set(rows.map((r) => r.merchantId));
    await this.queue.send(
      RUN_RULE_QUEUE,
      { executionIds: rows.map((r) => r.id) },
      { startAfter: EAGER_RUN_GRACE_SECONDS, fairKey: merchants.size === 1 ? rows[0]!.merchantId : undefined },
    );
    const inserted = new Set(await this.insertExecutions(em, rows, 'running'));
    const ruleOf = new Map(rules.map((r) => [r.id, r]));
    const claimed = rows
      .filter((r) => inserted.has(r.id))
      .map((r) => ({ ...r, attempts: 1, rule: ruleOf.get(r.ruleId)! }));
    await this.runner
      .runClaimed(em, claimed, subjects)
      .catch((error: unknown) => this.log.debug({ err: error }, 'rule runs failed; the run-rule job retries them'));
  }

  /**
   * Inserts the executions that do not exist yet (unique (rule, trigger key): the once-guarantee),
   * in the given order (created_at a microsecond apart: rounds run them in that order); returns the
   * ids inserted. `running`: claimed by the caller, who runs them at once (attempt 1).
   */
  private async insertExecutions(
    em: EntityManager,
    rows: (ExecutionDraft & { id: string })[],
    status: 'pending' | 'running',
  ): Promise<string[]> {
    const now = this.clock.now();
    const inserted = await sql<{ id: string }>(
      em,
      `insert into rule_execution (id, merchant_id, rule_id, order_id, trigger_key, trigger, status, attempts, results, created_at, updated_at)
         select (x->>'id')::uuid, (x->>'merchantId')::uuid, (x->>'ruleId')::uuid, (x->>'orderId')::uuid,
                x->>'triggerKey', x->>'trigger', ?, ?, '[]', ?::timestamptz + n * interval '1 microsecond', ?
           from jsonb_array_elements(?::jsonb) with ordinality as t(x, n)
         on conflict (rule_id, trigger_key) do nothing returning id`,
      [status, status === 'running' ? 1 : 0, now, now, JSON.stringify(rows)],
    );
    return inserted.map((r) => r.id);
  }

  /** The run-rule job (see RuleRunner). */
  run(em: EntityManager, executionIds: string[]) {
    return this.runner.run(em, executionIds);
  }

  /** Runs a rule on an order by hand: a new execution (`manual:<uuid>`), conditions not asked. */
  async rerunRule(ctx: MerchantContext, ruleId: string, orderId: string): Promise<RuleExecution> {
    const merchantId = ctx.actor.merchantId;
    const rule = isUuid(ruleId) ? await ctx.em.findOne(Rule, { id: ruleId, merchant: merchantId }) : null;
    if (!rule) throw notFound('Rule');
    const subject = isUuid(orderId) ? await loadSubject(ctx.em, orderId, merchantId) : null;
    if (!subject) throw notFound('Order');
    const id = await ctx.em.transactional(async (tx) => {
      const [created] = await this.insertExecutions(
        tx,
        [
          {
            id: randomUUID(),
            merchantId,
            ruleId: rule.id,
            orderId: subject.order.id,
            triggerKey: `manual:${randomUUID()}`,
            trigger: 'manual',
          },
        ],
        'pending',
      );
      await this.queue.send(RUN_RULE_QUEUE, { executionIds: [created!] }, { fairKey: merchantId }, tx);
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
        const ctxForDescribe = this.actionContext(ctx.em, subject, merchantId, `rule:${rule.name}`, rule.id);
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
  ): ActionContext {
    return {
      em,
      clock: this.clock,
      merchantId,
      actor,
      ruleId,
      order: subject.order,
      lines: subject.lines,
      ports: this.ports,
    };
  }
}

interface ExecutionDraft {
  merchantId: string;
  ruleId: string;
  orderId: string;
  triggerKey: string;
  trigger: string;
}
