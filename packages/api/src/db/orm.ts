import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig, type OrmOverrides } from './orm-config.js';

export type Orm = MikroORM;

export async function openOrm(databaseUrl: string, overrides?: OrmOverrides): Promise<Orm> {
  return MikroORM.init(ormConfig(databaseUrl, overrides));
}

/** Applies pending migrations; returns the names that ran. */
export async function migrate(orm: Orm): Promise<string[]> {
  const done = await orm.getMigrator().up();
  return done.map((m) => m.name);
}

/** SQL the ORM would still need to match the entities (empty when migrations are complete). */
export async function pendingSchemaDiff(orm: Orm): Promise<string> {
  return (await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).trim();
}
