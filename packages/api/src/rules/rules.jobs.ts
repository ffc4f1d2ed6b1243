import type { QueueDefinition } from '../jobs/queue.js';
import type { ScheduleRegistry } from '../jobs/schedules.js';
import type { Runtime } from '../runtime/runtime.js';
import {
  SEND_NOTIFICATION_QUEUE,
  SWEEP_NOTIFICATIONS_QUEUE,
  sendJobIds,
  type SendJob,
} from './notifications/outbox.service.js';
import { RUN_RULE_QUEUE } from './rule-engine.js';

/**
 * The rules area's queues (spread into jobs/queues.ts). Send jobs carry their own retry options.
 * Rule runs and sends are pages that also send mail: minutes at most.
 */
export const RULES_QUEUES: QueueDefinition[] = [
  { name: RUN_RULE_QUEUE, policy: 'standard', retryLimit: 8, retryDelay: 10, retryBackoff: true, maxRunSeconds: 600 },
  {
    name: SEND_NOTIFICATION_QUEUE,
    policy: 'standard',
    retryLimit: 10,
    retryDelay: 30,
    retryBackoff: true,
    maxRunSeconds: 600,
  },
  { name: SWEEP_NOTIFICATIONS_QUEUE, policy: 'short', retryLimit: 1, maxRunSeconds: 300 },
];

/** Workers for rule runs and the outbox, and the sweep of stranded outbox rows (jobs/register-jobs.ts). */
export async function registerRulesJobs(
  rt: Pick<Runtime, 'log' | 'orm' | 'services'>,
  schedules?: ScheduleRegistry,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<void> {
  const { queue, ruleEngine, outbox, notifySettings } = rt.services;
  const fork = () => rt.orm.em.fork();
  // Each job is a page (a dispatch page's executions, a rule batch's messages) handled set-based:
  // one page per fetch and a couple of workers keep pages flowing through the stages; more pages
  // at once would only share this process's event loop and hold every one of them back.
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 };
  for (let i = 0; i < notifySettings.concurrency; i++) {
    await queue.work<{ executionIds?: string[]; executionId?: string }>(
      RUN_RULE_QUEUE,
      async ({ executionIds, executionId }) => {
        // `executionId`: jobs queued by an earlier version, one execution each.
        await ruleEngine.run(fork(), executionIds ?? (executionId ? [executionId] : []));
      },
      polling,
    );
    await queue.work<SendJob>(
      SEND_NOTIFICATION_QUEUE,
      async (job) => {
        await outbox.sendMany(fork(), sendJobIds(job));
      },
      polling,
    );
  }
  await queue.work(SWEEP_NOTIFICATIONS_QUEUE, async () => {
    const requeued = await outbox.sweep(fork());
    if (requeued) rt.log.info({ requeued }, 'requeued stranded notifications');
  });
  schedules?.set({ name: 'sweep-notifications', cron: '*/5 * * * *', queue: SWEEP_NOTIFICATIONS_QUEUE, data: {} });
}
