import { mkdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { invalidInput } from '@handoff/shared';

/** True when `real` is `base` or lies inside it (both already real paths). */
export function inside(real: string, base: string): boolean {
  if (real === base) return true;
  return real.startsWith(base.endsWith(sep) ? base : base + sep);
}

/** Who asks for a local root: the merchant, and the folders the operator assigned to it (real paths). */
export interface LocalRootOwner {
  merchantId: string;
  assigned: readonly string[];
}

/** The real paths of the operator's allowed roots (HANDOFF_STORAGE_ROOTS) that exist. */
export async function realAllowedRoots(allowedRoots: readonly string[]): Promise<string[]> {
  const reals: string[] = [];
  for (const allowed of allowedRoots) {
    try {
      reals.push(await realpath(allowed));
    } catch {
      // an allowed root that does not exist yet admits nothing
    }
  }
  return reals;
}

/** An absolute, existing folder's real path, or BAD_USER_INPUT on `field`. */
export async function realFolder(path: string, field: string): Promise<string> {
  // eslint-disable-next-line no-control-regex
  if (typeof path !== 'string' || !isAbsolute(path) || /[\u0000-\u001f]/.test(path)) {
    throw invalidInput(`${field} must be an absolute folder path`, field);
  }
  try {
    const real = await realpath(path);
    if (!(await stat(real)).isDirectory()) throw new Error('not a folder');
    return real;
  } catch {
    throw invalidInput(`${field} must be an existing folder`, field);
  }
}

/**
 * Checks that a local storage root belongs to the merchant: an existing folder inside its own
 * `<allowed root>/<merchant id>` folder or inside a folder the operator assigned to it (which must
 * itself still lie in an allowed root). Symlinks are resolved on the candidate and the comparison
 * is textual against unresolved owner folders, so a symlink (or a swapped folder) leading into
 * another merchant's files never matches. Returns the real path, which is what gets stored;
 * throws BAD_USER_INPUT on `root` otherwise.
 */
export async function confineLocalRoot(
  root: string,
  allowedRoots: readonly string[],
  owner: LocalRootOwner,
): Promise<string> {
  const real = await realFolder(root, 'root');
  const allowed = await realAllowedRoots(allowedRoots);
  if (allowed.some((base) => inside(real, join(base, owner.merchantId)))) return real;
  const assigned = owner.assigned.filter((path) => allowed.some((base) => inside(path, base)));
  if (assigned.some((path) => inside(real, path))) return real;
  throw invalidInput(
    'root must lie inside your own storage folder (<storage root>/<merchant id>) or a folder the operator assigned to you',
    'root',
  );
}

/** Creates the merchant's own folder in every existing allowed root, so it can be connected. */
export async function ensureMerchantFolders(allowedRoots: readonly string[], merchantId: string): Promise<string[]> {
  const folders: string[] = [];
  for (const base of await realAllowedRoots(allowedRoots)) {
    const folder = join(base, merchantId);
    await mkdir(folder, { mode: 0o750 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    folders.push(folder);
  }
  return folders;
}
