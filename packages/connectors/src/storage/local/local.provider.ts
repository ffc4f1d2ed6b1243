import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { clampRange } from '../byte-range.js';
import { contentTypeFor } from '../content-types.js';
import { childRef, confineRef } from '../refs.js';
import {
  StorageError,
  type ByteRange,
  type OpenedFile,
  type StorageEntry,
  type StorageProvider,
} from '../storage-provider.js';

export interface LocalStorageOptions {
  /** The folder the merchant's files live in; nothing outside it is reachable. */
  root: string;
}

/** Reads files from a local folder: the embedded default, which needs no credentials. */
export class LocalStorageProvider implements StorageProvider {
  readonly kind = 'local';
  private rootReal: Promise<string> | null = null;

  constructor(private readonly options: LocalStorageOptions) {}

  async list(folderRef: string): Promise<StorageEntry[]> {
    const folder = await this.resolve(folderRef);
    let names: string[];
    try {
      names = (await readdir(folder.real)).sort();
    } catch (error) {
      throw mapFsError(error, folderRef);
    }
    const entries: StorageEntry[] = [];
    for (const name of names) {
      try {
        entries.push(await this.stat(childRef(folder.rel, name)));
      } catch (error) {
        // Escaping or dangling symlinks and names no ref can address are simply not offered.
        if (error instanceof StorageError && error.reason !== 'unavailable') continue;
        throw error;
      }
    }
    return entries;
  }

  async stat(ref: string): Promise<StorageEntry> {
    const { rel, real } = await this.resolve(ref);
    try {
      const info = await stat(real);
      const name = rel === '' ? '' : basename(rel);
      const isFile = info.isFile();
      return {
        ref: rel,
        name,
        kind: isFile ? 'file' : 'folder',
        size: isFile ? info.size : null,
        contentType: isFile ? contentTypeFor(name) : null,
        checksum: null,
        modifiedAt: info.mtime,
      };
    } catch (error) {
      throw mapFsError(error, ref);
    }
  }

  async open(ref: string, range?: ByteRange): Promise<OpenedFile> {
    const { rel, real } = await this.resolve(ref);
    let handle;
    try {
      // O_NOFOLLOW: the resolved path must not have been swapped for a symlink since realpath.
      handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      throw mapFsError(error, ref);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new StorageError('not_found', `${ref} is not a file`);
      const served = range ? clampRange(range, info.size) : undefined;
      // The stream owns the handle from here and closes it when it ends or is destroyed.
      const stream = handle.createReadStream({
        start: served?.start,
        end: served?.end,
        highWaterMark: 1024 * 1024,
      });
      return { stream, size: info.size, contentType: contentTypeFor(basename(rel)), range: served };
    } catch (error) {
      await handle.close();
      throw error instanceof StorageError ? error : mapFsError(error, ref);
    }
  }

  private root(): Promise<string> {
    this.rootReal ??= realpath(this.options.root).catch((error: unknown) => {
      this.rootReal = null; // The folder may appear later (a mounted disk); try again next time.
      throw new StorageError('unavailable', `storage root unavailable: ${(error as Error).message}`);
    });
    return this.rootReal;
  }

  /** Confines the ref, follows symlinks, and checks the result is still under the root. */
  private async resolve(ref: string): Promise<{ rel: string; real: string }> {
    const rel = confineRef(ref);
    const root = await this.root();
    let real: string;
    try {
      real = await realpath(rel === '' ? root : join(root, ...rel.split('/')));
    } catch (error) {
      throw mapFsError(error, ref);
    }
    if (real !== root && !real.startsWith(root + sep)) {
      throw new StorageError('outside_root', `${ref} resolves outside the storage root`);
    }
    return { rel, real };
  }
}

function mapFsError(error: unknown, ref: string): StorageError {
  if (error instanceof StorageError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
    return new StorageError('not_found', `${ref} not found`);
  }
  if (code === 'ELOOP') return new StorageError('outside_root', `${ref} is a symlink loop`);
  if (code === 'EACCES' || code === 'EPERM') return new StorageError('unauthorized', `${ref}: permission denied`);
  return new StorageError('unavailable', `${ref}: ${(error as Error).message}`);
}
