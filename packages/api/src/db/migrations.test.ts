import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseUrlFor, quoteDatabaseName, withAdminClient } from './admin.js';
import { migrate, openOrm, pendingSchemaDiff, type Orm } from './orm.js';

/** The checked-in migrations alone build the schema the entities describe. */
describe('migrations', () => {
  const { serverUrl, prefix } = inject('database');
  const name = `${prefix}empty_${process.pid}`;
  let orm: Orm;

  beforeAll(async () => {
    await withAdminClient(serverUrl, (c) => c.query(`CREATE DATABASE ${quoteDatabaseName(name)}`));
    orm = await openOrm(databaseUrlFor(serverUrl, name));
  });
  afterAll(async () => {
    await orm.close();
    await withAdminClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteDatabaseName(name)} WITH (FORCE)`));
  });

  it('create the schema on an empty database, leaving no pending diff', async () => {
    expect(await pendingSchemaDiff(orm)).not.toBe('');
    const applied = await migrate(orm);
    expect(applied.length).toBeGreaterThan(0);
    expect(await pendingSchemaDiff(orm)).toBe('');
  });

  it('are idempotent: a second run applies nothing', async () => {
    expect(await migrate(orm)).toEqual([]);
  });
});
