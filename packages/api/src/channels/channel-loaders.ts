import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SyncRun } from './sync-run.entity.js';

const NO_MERCHANT = '00000000-0000-0000-0000-000000000000';

/** A PostgreSQL array literal (ids are entity uuids), bound as one parameter. */
const pgUuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/** Loaders of channel connection fields; one statement each per page, scoped to the caller's merchant. */
export function createChannelLoaders(em: EntityManager, merchantId: () => string | null) {
  return {
    /** The newest sync run of each connection (DISTINCT ON, one query). */
    latestSyncRun: new DataLoader<string, SyncRun | null>(async (ids) => {
      const rows = await em
        .getConnection()
        .execute<Record<string, unknown>[]>(
          'select distinct on (connection_id) * from sync_run where connection_id = any(?::uuid[]) and merchant_id = ? order by connection_id, started_at desc, id desc',
          [pgUuidArray(ids), merchantId() ?? NO_MERCHANT],
        );
      const runs = new Map(rows.map((row) => [row.connection_id as string, em.map(SyncRun, row)]));
      return ids.map((id) => runs.get(id) ?? null);
    }),
    /** Whether sealed credentials are stored, without reading them. */
    connectionHasCredentials: new DataLoader<string, boolean>(async (ids) => {
      const rows = await em
        .getConnection()
        .execute<{ id: string }[]>(
          'select id from channel_connection where id = any(?::uuid[]) and merchant_id = ? and credentials_encrypted is not null',
          [pgUuidArray(ids), merchantId() ?? NO_MERCHANT],
        );
      const present = new Set(rows.map((r) => r.id));
      return ids.map((id) => present.has(id));
    }),
  };
}
