import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { entities } from './entities.js';
import { migrationsList } from './migrations-list.js';

export interface OrmOverrides {
  /** Receives every SQL statement (query counting in tests and benchmarks). */
  onQuery?: (sql: string) => void;
  poolMax?: number;
}

export function ormConfig(databaseUrl: string, overrides: OrmOverrides = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    // The schema changes only through checked-in migrations, never by discovery at runtime.
    migrations: {
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    pool: { min: 0, max: overrides.poolMax ?? 10 },
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
    debug: overrides.onQuery ? ['query'] : false,
    logger: overrides.onQuery ? (message) => overrides.onQuery!(message) : undefined,
    colors: false,
  });
}
