import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { invalidInput } from '@handoff/shared';
import { decodeCursor, encodeCursor, type Page } from '../graphql/relay.js';
import { isUuid } from './uuid.js';

export interface KeysetSpec<T> {
  /** The sort column (besides id, the tiebreaker) and its direction. */
  key: keyof T & string;
  direction: 'asc' | 'desc';
  kind: 'string' | 'number' | 'date';
}

/**
 * Keyset (cursor) pagination on (key, id): stable under inserts, one statement per page, and a
 * malformed cursor is a BAD_USER_INPUT, never a database error.
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  spec: KeysetSpec<T>,
  first: number,
  after: string | null | undefined,
): Promise<Page<T>> {
  const cmp = spec.direction === 'asc' ? '$gt' : '$lt';
  let filter = where;
  if (after) {
    const [raw, id] = decodeCursor(after, [spec.kind === 'number' ? 'number' : 'string', 'string']);
    const value = spec.kind === 'date' ? new Date(raw as string) : raw;
    if ((value instanceof Date && Number.isNaN(value.getTime())) || !isUuid(id as string)) {
      throw invalidInput('after is not a valid cursor', 'after');
    }
    filter = {
      $and: [where, { $or: [{ [spec.key]: { [cmp]: value } }, { [spec.key]: value, id: { [cmp]: id } }] }],
    } as FilterQuery<T>;
  }
  const rows = await em.find(entity, filter, {
    orderBy: { [spec.key]: spec.direction, id: spec.direction } as never,
    limit: first + 1,
  });
  const nodes = rows.slice(0, first);
  return {
    nodes,
    cursors: nodes.map((n) => {
      const v = n[spec.key] as unknown;
      return encodeCursor([v instanceof Date ? v.toISOString() : (v as string | number), n.id]);
    }),
    hasNextPage: rows.length > first,
    hasPreviousPage: Boolean(after),
  };
}
