import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProductFile } from '../catalog/product-file.entity.js';
import { DownloadGrant } from './download-grant.entity.js';

/** Loaders of the downloads area, spread into graphql/loaders.ts; `scope` is the caller's merchant filter. */
export function createDownloadLoaders(em: EntityManager, scope: () => { merchant: string }) {
  const grouped = (key: 'order' | 'orderItem') =>
    new DataLoader<string, DownloadGrant[]>(async (ids) => {
      const rows = await em.find(
        DownloadGrant,
        { [key]: { $in: [...ids] }, ...scope() },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      const groups = new Map<string, DownloadGrant[]>(ids.map((id) => [id, []]));
      for (const row of rows) groups.get(row[key].id)?.push(row);
      return ids.map((id) => groups.get(id) ?? []);
    });
  return {
    grantsByOrder: grouped('order'),
    grantsByItem: grouped('orderItem'),
    productFile: new DataLoader<string, ProductFile | null>(async (ids) => {
      const rows = new Map((await em.find(ProductFile, { id: { $in: [...ids] }, ...scope() })).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
  };
}
