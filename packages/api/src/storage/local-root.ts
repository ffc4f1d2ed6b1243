import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, sep } from 'node:path';
import { invalidInput } from '@handoff/shared';

/** True when `real` is `base` or lies inside it (both already real paths). */
function inside(real: string, base: string): boolean {
  if (real === base) return true;
  return real.startsWith(base.endsWith(sep) ? base : base + sep);
}

/**
 * Checks that a local storage root is an existing folder inside one of the operator's allowed roots
 * (HANDOFF_STORAGE_ROOTS), symlinks resolved on both sides. Returns the real path, which is what gets
 * stored; throws BAD_USER_INPUT on `root` otherwise, so a merchant can never connect `/etc`.
 */
export async function confineLocalRoot(root: string, allowedRoots: readonly string[]): Promise<string> {
  // eslint-disable-next-line no-control-regex
  if (typeof root !== 'string' || !isAbsolute(root) || /[\u0000-\u001f]/.test(root)) {
    throw invalidInput('root must be an absolute folder path', 'root');
  }
  let real: string;
  try {
    real = await realpath(root);
    if (!(await stat(real)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw invalidInput('root must be an existing folder', 'root');
  }
  for (const allowed of allowedRoots) {
    let allowedReal: string;
    try {
      allowedReal = await realpath(allowed);
    } catch {
      continue; // an allowed root that does not exist yet admits nothing
    }
    if (inside(real, allowedReal)) return real;
  }
  throw invalidInput('root must lie inside a folder the operator allows (HANDOFF_STORAGE_ROOTS)', 'root');
}
