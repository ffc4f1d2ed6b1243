import type { EntityManager } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';

/**
 * pg-boss's `db` adapter over the em's current transaction, so a job is inserted in the same
 * transaction as the change that causes it: a rollback leaves no job behind. pg-boss writes `$n`
 * placeholders; the ORM's raw execute takes `?`.
 */
export function ormJobDb(em: EntityManager): PgBoss.Db {
  return {
    async executeSql(text, values) {
      const bindings: unknown[] = [];
      const sql = text.replace(/\$(\d+)/g, (_, n: string) => {
        bindings.push(values[Number(n) - 1]);
        return '?';
      });
      const rows = await em.getConnection().execute(sql, bindings, 'all', em.getTransactionContext());
      return { rows: rows as unknown[] };
    },
  };
}
