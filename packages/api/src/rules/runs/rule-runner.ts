import type { EntityManager } from '@mikro-orm/postgresql';
import { insertGrants } from '../../downloads/grant-plan.js';
import type { Logger } from '../../logger.js';
import { OrderEvent } from '../../orders/order-event.entity.js';
import { insertOrderEvents, type OrderEventRow } from '../../orders/order-event-rows.js';
import { sql } from '../../db/sql.js';
import type { NotificationOutbox } from '../notifications/outbox.service.js';
import type { ApplyContext } from '../operation.js';
import { ACTIONS } from '../registry.js';
import { RuleExecution, type ActionResult } from '../rule-execution.entity.js';
import { Rule } from '../rule.entity.js';
import { loadSubjects, type RuleSubject } from '../rule-subject.js';
import { createBatchReads, type BatchReads } from './batch-reads.js';
import { ExecutionBuffer, type RunCollaborators } from './execution-run.js';
import { safeErrorMessage } from '../../db/driver-error.js';

/** A claimed execution: its row, and its rule. */
export interface ClaimedRun {
  id: string;
  merchantId: string;
  orderId: string;
  trigger: string;
  attempts: number;
  rule: Rule;
}

interface Applied {
  execution: ClaimedRun;
  actor: string;
  results: ActionResult[];
  buffer: ExecutionBuffer | null;
  error: unknown;
}

/**
 * Runs a batch of executions: the ones the rules listener just created, or a run-rule job's.
 * Actions run in memory (reads batched across the executions), then the writes of every execution
 * that succeeded commit in one transaction with their outcomes. A failing action fails only its
 * execution; a commit that fails is retried one execution at a time, so one bad row cannot hold
 * the others back. Failed executions are recorded (visible on the order) and the job throws so
 * pg-boss retries them with backoff.
 */
export class RuleRunner {
  constructor(
    private readonly c: RunCollaborators & { outbox: NotificationOutbox },
    private readonly log: Logger,
  ) {}

  /** The run-rule job: claims the executions that have not succeeded and runs them. */
  async run(em: EntityManager, executionIds: string[]): Promise<Map<string, 'succeeded' | 'failed'>> {
    return this.runClaimed(em, await this.claim(em, executionIds));
  }

  /**
   * Runs claimed executions (oldest first). `subjects`: the orders as the caller just loaded them
   * (the listener running the executions it created).
   */
  async runClaimed(
    em: EntityManager,
    claimed: ClaimedRun[],
    subjects?: Map<string, RuleSubject>,
  ): Promise<Map<string, 'succeeded' | 'failed'>> {
    const outcomes = new Map<string, 'succeeded' | 'failed'>();
    // An order's executions run one per round, in the order they were created (rule position):
    // each round reads what the previous one committed.
    for (const [n, round] of rounds(claimed).entries()) {
      for (const [id, outcome] of await this.runRound(em, round, n === 0 ? subjects : undefined))
        outcomes.set(id, outcome);
    }
    const failed = [...outcomes.values()].filter((o) => o === 'failed').length;
    if (failed) throw new Error(`${failed} of ${outcomes.size} rule run(s) failed; they are retried`);
    return outcomes;
  }

  /** Marks the executions running (not those that already succeeded); returns them, oldest first, with their rules. */
  private async claim(em: EntityManager, ids: string[]): Promise<ClaimedRun[]> {
    const now = this.c.clock.now();
    const rows = await sql<ClaimedRow>(
      em,
      `with claimed as (
         update rule_execution set status = 'running', attempts = attempts + 1, updated_at = ?
           where id = any(?::uuid[]) and status <> 'succeeded'
           returning id, merchant_id, order_id, rule_id, trigger, attempts, created_at)
       select * from claimed order by created_at, id`,
      [now, [...new Set(ids)]],
    );
    const ruleIds = [...new Set(rows.map((r) => r.rule_id))];
    const rules = ruleIds.length ? await em.find(Rule, { id: { $in: ruleIds } }) : [];
    const ruleOf = new Map(rules.map((r) => [r.id, r]));
    // A rule deleted since takes its executions with it (cascade): nothing is left to run.
    return rows.flatMap((r) => {
      const rule = ruleOf.get(r.rule_id);
      return rule
        ? [{ id: r.id, merchantId: r.merchant_id, orderId: r.order_id, trigger: r.trigger, attempts: r.attempts, rule }]
        : [];
    });
  }

  private async runRound(em: EntityManager, executions: ClaimedRun[], preloaded?: Map<string, RuleSubject>) {
    const reader = em.fork();
    const reads = createBatchReads(reader, this.c.portalCodes, this.c.ports);
    const subjects =
      preloaded ??
      (await loadSubjects(
        reader,
        null,
        executions.map((e) => e.orderId),
      ));
    const applied = await Promise.all(executions.map((e) => this.apply(reader, reads, subjects.get(e.orderId), e)));
    const outcomes = new Map<string, 'succeeded' | 'failed'>();
    const ready = applied.filter((a) => a.error === null);
    let queued: string[] = [];
    try {
      queued = await this.commit(em, ready);
      for (const a of ready) outcomes.set(a.execution.id, 'succeeded');
    } catch (error) {
      if (ready.length > 1) {
        // Someone wrote between our reads and the commit (or one row is bad): again, one by one.
        for (const a of ready)
          for (const [id, outcome] of await this.runRound(em, [a.execution])) outcomes.set(id, outcome);
      } else {
        for (const a of ready) a.error = error;
      }
    }
    for (const a of applied.filter((x) => x.error !== null && !outcomes.has(x.execution.id))) {
      await this.recordFailure(em, a);
      outcomes.set(a.execution.id, 'failed');
    }
    await this.sendNow(em, queued);
    return outcomes;
  }

  /**
   * The page's messages go out right after its commit, from this job: no wait for a send job and
   * no second read of the page. Their send job (queued in the commit, polled, not woken) finds
   * them sent; it delivers what this could not (a transient failure, a crash in between).
   */
  private async sendNow(em: EntityManager, notificationIds: string[]): Promise<void> {
    if (notificationIds.length === 0) return;
    await this.c.outbox
      .sendMany(em.fork(), notificationIds)
      .catch((error: unknown) => this.log.debug({ err: error }, 'some messages wait for their send job'));
  }

  /** Runs an execution's actions against the batch's reads; nothing is written yet. */
  private async apply(
    reader: EntityManager,
    reads: BatchReads,
    subject: RuleSubject | undefined,
    execution: ClaimedRun,
  ): Promise<Applied> {
    const rule = execution.rule;
    const actor = `rule:${rule.name}`.slice(0, 200);
    const results: ActionResult[] = [];
    if (!subject) return { execution, actor, results, buffer: null, error: new Error('the order no longer exists') };
    const buffer = new ExecutionBuffer(this.c, reads, subject, execution.id, actor);
    try {
      for (const [actionIndex, op] of rule.actions.entries()) {
        const def = ACTIONS.get(op.code);
        if (!def) throw new Error(`unknown action "${op.code}"`);
        const parsed = def.args.safeParse(op.args ?? {});
        if (!parsed.success) throw new Error(`${op.code}: invalid arguments: ${parsed.error.issues[0]!.message}`);
        buffer.actionIndex = actionIndex;
        const ctx: ApplyContext = {
          em: reader,
          clock: this.c.clock,
          merchantId: subject.view.merchantId,
          actor,
          ruleId: rule.id,
          executionId: execution.id,
          actionIndex,
          order: subject.order,
          lines: subject.lines,
          ports: this.c.ports,
          run: buffer,
        };
        try {
          results.push({ code: op.code, ...(await def.apply(ctx, parsed.data as never)) });
        } catch (error) {
          results.push({ code: op.code, status: 'failed', detail: message(error) });
          throw error;
        }
      }
      return { execution, actor, results, buffer, error: null };
    } catch (error) {
      return { execution, actor, results, buffer: null, error };
    }
  }

  /**
   * The writes of every applied execution and their outcomes: one transaction, a few statements.
   * Returns the ids of the messages it queued.
   */
  private async commit(em: EntityManager, applied: Applied[]): Promise<string[]> {
    if (applied.length === 0) return [];
    const buffers = applied.map((a) => a.buffer!);
    return em.transactional(async (tx) => {
      const codes = buffers.flatMap((b) => b.portalCodes);
      const inserted = await this.c.portalCodes.insertCodes(tx, codes);
      if (inserted.size < codes.length) throw new Error('a portal code was created meanwhile');
      await insertGrants(
        tx,
        buffers.flatMap((b) => b.grants),
      );
      for (const b of buffers) for (const write of b.statements) await write(tx);
      const queued = await this.c.outbox.enqueueMany(
        tx,
        buffers.flatMap((b) => b.messages),
        { senderSendsNow: true },
      );
      const finishedAt = this.c.clock.now();
      const events = [];
      for (const a of applied) {
        for (const r of a.results) {
          const id = typeof r.dedupKey === 'string' ? queued.get(r.dedupKey) : undefined;
          if (id) r.notificationId = id;
        }
        events.push(...a.buffer!.events, this.ranEvent(a, finishedAt));
      }
      await insertOrderEvents(tx, events);
      await sql(
        tx,
        `update rule_execution e set status = 'succeeded', results = v.results, last_error = null,
             finished_at = ?, updated_at = ?
           from (select x->>'id' as id, x->'results' as results from jsonb_array_elements(?::jsonb) x) v
           where e.id = v.id::uuid`,
        [finishedAt, finishedAt, JSON.stringify(applied.map((a) => ({ id: a.execution.id, results: a.results })))],
      );
      return [...queued.values()];
    });
  }

  private ranEvent(a: Applied, at: Date): OrderEventRow {
    return {
      merchantId: a.execution.merchantId,
      orderId: a.execution.orderId,
      type: 'rule_ran',
      source: 'system' as const,
      actor: a.actor,
      data: {
        ruleId: a.execution.rule.id,
        executionId: a.execution.id,
        trigger: a.execution.trigger,
        results: a.results,
      },
      createdAt: at,
    };
  }

  /** The run wrote nothing: the execution is marked failed with the error, and the order's history says so. */
  private async recordFailure(em: EntityManager, a: Applied): Promise<void> {
    const at = this.c.clock.now();
    const recorded = a.results.map((r) => (r.status === 'failed' ? r : { ...r, detail: `${r.detail} (rolled back)` }));
    const fork = em.fork();
    await fork.nativeUpdate(
      RuleExecution,
      { id: a.execution.id },
      { status: 'failed', lastError: message(a.error), results: recorded, updatedAt: at },
    );
    fork.create(OrderEvent, {
      merchant: a.execution.merchantId,
      order: a.execution.orderId,
      type: 'rule_failed',
      source: 'system',
      actor: a.actor,
      data: {
        ruleId: a.execution.rule.id,
        executionId: a.execution.id,
        error: message(a.error),
        attempt: a.execution.attempts,
      },
      createdAt: at,
    });
    await fork.flush();
    this.log.warn({ executionId: a.execution.id, ruleId: a.execution.rule.id, err: a.error }, 'rule run failed');
  }
}

/** Splits executions into rounds holding at most one execution per order, keeping their order. */
function rounds(executions: ClaimedRun[]): ClaimedRun[][] {
  const result: ClaimedRun[][] = [];
  const seen = new Map<string, number>();
  for (const e of executions) {
    const n = seen.get(e.orderId) ?? 0;
    seen.set(e.orderId, n + 1);
    (result[n] ??= []).push(e);
  }
  return result;
}

interface ClaimedRow {
  id: string;
  merchant_id: string;
  order_id: string;
  rule_id: string;
  trigger: string;
  attempts: number;
}

function message(error: unknown): string {
  // A failed statement's SQL, with the buyer's data written into it, is not kept in the run's error.
  return safeErrorMessage(error).slice(0, 2000);
}
