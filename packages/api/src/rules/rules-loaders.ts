import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Notification } from './notification.entity.js';
import { RuleExecution } from './rule-execution.entity.js';
import { Rule } from './rule.entity.js';

/** Loaders of the rules area (graphql/loaders.ts); each one statement per page, scoped to the merchant. */
export function createRulesLoaders(em: EntityManager, scope: () => { merchant: string }) {
  const grouped = <T>(load: (ids: string[]) => Promise<T[]>, key: (row: T) => string) =>
    new DataLoader<string, T[]>(async (ids) => {
      const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const row of await load([...ids])) groups.get(key(row))?.push(row);
      return ids.map((id) => groups.get(id) ?? []);
    });
  return {
    orderNotifications: grouped(
      (ids) => em.find(Notification, { order: { $in: ids }, ...scope() }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      (n) => n.order.id,
    ),
    orderRuleExecutions: grouped(
      (ids) =>
        em.find(RuleExecution, { order: { $in: ids }, ...scope() }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      (e) => e.order.id,
    ),
    rule: new DataLoader<string, Rule | null>(async (ids) => {
      const rows = new Map((await em.find(Rule, { id: { $in: [...ids] }, ...scope() })).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
  };
}
