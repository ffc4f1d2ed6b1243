import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PortalConsent } from './portal-consent.entity.js';

/** Loaders of the portal area (graphql/loaders.ts); one statement per page, scoped to the merchant. */
export function createPortalLoaders(em: EntityManager, scope: () => { merchant: string }) {
  return {
    orderWaiver: new DataLoader<string, PortalConsent | null>(async (orderIds) => {
      const rows = await em.find(PortalConsent, {
        order: { $in: [...orderIds] },
        kind: 'withdrawal_waiver',
        ...scope(),
      });
      const byOrder = new Map(rows.map((r) => [r.order.id, r]));
      return orderIds.map((id) => byOrder.get(id) ?? null);
    }),
  };
}
