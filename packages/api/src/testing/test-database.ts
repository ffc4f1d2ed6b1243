import { randomBytes } from 'node:crypto';
import { databaseUrlFor, quoteDatabaseName, withAdminClient } from '../db/admin.js';

export interface TestDatabaseInfo {
  /** URL of the server (any database). */
  serverUrl: string;
  /** Name of a migrated template database. */
  template: string;
  /** Prefix of this run's databases (the run's teardown drops them). */
  prefix: string;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the run's template: each test file gets its own. */
export async function createTestDatabase(info: TestDatabaseInfo): Promise<TestDatabase> {
  const name = `${info.prefix}${randomBytes(6).toString('hex')}`;
  await withAdminClient(info.serverUrl, (c) =>
    c.query(`CREATE DATABASE ${quoteDatabaseName(name)} TEMPLATE ${quoteDatabaseName(info.template)}`),
  );
  return {
    name,
    url: databaseUrlFor(info.serverUrl, name),
    drop: () =>
      withAdminClient(info.serverUrl, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${quoteDatabaseName(name)} WITH (FORCE)`),
      ).then(() => undefined),
  };
}
