import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * Runs SQL with `?` placeholders as real bind parameters, in the em's transaction when it has one.
 * The ORM's `execute` inlines every value as an escaped literal: for the multi-row statements of
 * the batch jobs (hundreds of values, message bodies) that escaping in JavaScript is a large part of
 * their cost. An array is sent as one PostgreSQL array parameter (`id = any(?::uuid[])`).
 */
export async function sql<T = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const knex = (em.getTransactionContext<Knex.Transaction>() ?? em.getConnection().getKnex()) as Knex;
  // Through the ORM's query log like its own statements (tests count them; debug logging shows them).
  const logger = em.config.getLogger();
  if (logger.isEnabled('query')) logger.logQuery({ query: text, level: 'info' });
  const result = (await knex.raw(text, params.map((p) => p ?? null) as Knex.RawBinding[])) as { rows: T[] };
  return result.rows;
}

/**
 * A multi-row insert from one JSON parameter (`jsonb_to_recordset`): any number of rows, one bind
 * value. `columns` maps column name → SQL type; rows are keyed by column name. `tail`: e.g.
 * `on conflict do nothing returning id`.
 */
export async function insertRows<T = Record<string, unknown>>(
  em: EntityManager,
  table: string,
  columns: Record<string, string>,
  rows: Record<string, unknown>[],
  tail = '',
): Promise<T[]> {
  if (rows.length === 0) return [];
  const names = Object.keys(columns);
  const definition = names.map((n) => `${n} ${columns[n]}`).join(', ');
  return sql<T>(
    em,
    `insert into ${table} (${names.join(', ')})
       select ${names.join(', ')} from jsonb_to_recordset(?::jsonb) as x(${definition}) ${tail}`,
    [JSON.stringify(rows)],
  );
}
