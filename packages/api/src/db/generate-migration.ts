import { fileURLToPath } from 'node:url';
import type { Orm } from './orm.js';

/** Writes a TypeScript migration for the difference between the migrated database and the entities. */
export async function generateMigration(orm: Orm): Promise<string | null> {
  const path = fileURLToPath(new URL('../../src/migrations', import.meta.url));
  orm.config.set('migrations', { ...orm.config.get('migrations'), path, pathTs: path, emit: 'ts', snapshot: false });
  const result = await orm.getMigrator().createMigration(path);
  return result.diff.up.length > 0 ? result.fileName : null;
}
