import type { Readable } from 'node:stream';

export interface StorageEntry {
  /** Provider id or path inside the connection's root; what the hub stores as the file's ref. */
  ref: string;
  name: string;
  kind: 'file' | 'folder';
  size: number | null;
  contentType: string | null;
  /** Provider checksum when it has one (md5, content_hash, ...), prefixed with its algorithm. */
  checksum: string | null;
  modifiedAt: Date | null;
}

export interface ByteRange {
  start: number;
  /** Inclusive end, as in HTTP Range. */
  end: number;
}

export interface OpenedFile {
  stream: Readable;
  /** Size of the whole file, also when a range was asked (what `Content-Range: bytes a-b/size` needs). */
  size: number;
  contentType: string | null;
  /** The inclusive range actually in the stream when a range was asked (`end` clamped to size - 1). */
  range?: ByteRange;
}

/**
 * The one interface every file storage implements. Refs are relative to the connection's root;
 * a ref that leaves the root (`..`, absolute paths, encoded traversal) is rejected with StorageError.
 */
export interface StorageProvider {
  readonly kind: string;
  /** Lists a folder ('' = the root). */
  list(folderRef: string): Promise<StorageEntry[]>;
  stat(ref: string): Promise<StorageEntry>;
  open(ref: string, range?: ByteRange): Promise<OpenedFile>;
  /** A URL the buyer's browser can fetch directly for ttlSeconds, where the provider can mint one. */
  temporaryUrl?(ref: string, ttlSeconds: number, downloadName: string): Promise<string>;
}

export type StorageErrorReason =
  | 'not_found'
  | 'outside_root'
  | 'unavailable'
  | 'unauthorized'
  /** The asked range starts past the end of the file (HTTP 416). */
  | 'range_not_satisfiable';

export class StorageError extends Error {
  constructor(
    readonly reason: StorageErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
