import { StorageError } from './storage-provider.js';

const MAX_REF_LENGTH = 1024;
/** How many layers of percent-encoding we look through; attackers rarely stack more than two. */
const DECODE_LAYERS = 3;

function reject(ref: string, why: string): never {
  throw new StorageError('outside_root', `ref ${JSON.stringify(ref.slice(0, 80))} rejected: ${why}`);
}

/** Returns why `candidate` could escape a root, or null when it is a plain relative path. */
function hostility(candidate: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(candidate)) return 'control character';
  if (candidate.includes('\\')) return 'backslash';
  if (candidate.startsWith('/')) return 'absolute path';
  if (/^[a-zA-Z]:/.test(candidate)) return 'drive letter';
  if (candidate === '') return null;
  for (const segment of candidate.split('/')) {
    if (segment === '') return 'empty segment';
    // NFKC folds look-alikes (fullwidth dot U+FF0E, one-dot leaders) to '.'; Windows also drops
    // trailing dots and spaces, so '...' or '.. ' would become '..' there.
    if (/^[.\s]+$/.test(segment.normalize('NFKC'))) return 'dot segment';
  }
  return null;
}

/**
 * Normalizes a path-style ref and confines it to the connection's root. Returns the clean relative
 * path ('' = the root) or throws StorageError('outside_root').
 *
 * The ref itself is used literally (a file may be named `100%25.txt`), but every percent-decoded
 * reading of it must be harmless too, so `%2e%2e%2f` and double-encoded forms are refused even
 * where no layer of ours would decode them: some proxy or SDK along the way might.
 */
export function confineRef(ref: string): string {
  if (typeof ref !== 'string') reject(String(ref), 'not a string');
  if (ref.length > MAX_REF_LENGTH) reject(ref, 'too long');
  // A trailing slash on a folder ref is harmless; strip exactly one.
  const trimmed = ref.endsWith('/') && ref.length > 1 ? ref.slice(0, -1) : ref;
  let layer = trimmed;
  for (let i = 0; i <= DECODE_LAYERS; i++) {
    const why = hostility(layer);
    if (why) reject(ref, i === 0 ? why : `${why} after ${i}× percent-decoding`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      break; // Not valid percent-encoding: no further reading exists.
    }
    if (decoded === layer) break;
    layer = decoded;
  }
  return trimmed;
}

/** Joins a confined folder ref and one child name into a ref. */
export function childRef(folderRef: string, name: string): string {
  return folderRef === '' ? name : `${folderRef}/${name}`;
}
