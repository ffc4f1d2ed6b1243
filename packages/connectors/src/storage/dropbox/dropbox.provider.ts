import { DropboxResponseError, type files } from 'dropbox';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseContentRange, rangeHeader } from '../byte-range.js';
import { contentTypeFor } from '../content-types.js';
import { confineRef } from '../refs.js';
import {
  StorageError,
  type ByteRange,
  type OpenedFile,
  type StorageEntry,
  type StorageProvider,
} from '../storage-provider.js';
import { DropboxSession } from './dropbox-session.js';
import type { DropboxDeps, DropboxOptions } from './dropbox.options.js';

type Metadata = files.FileMetadataReference | files.FolderMetadataReference | files.DeletedMetadataReference;

const DOWNLOAD_URL = 'https://content.dropboxapi.com/2/files/download';

/**
 * Dropbox: refs are paths relative to the root folder ('ebooks/novel.pdf'); `id:…` refs are accepted
 * too and confined by checking the file's path lies under the root. Temporary links are Dropbox's own:
 * they always live 4 hours and carry the file's own name, whatever ttl and downloadName say.
 */
export class DropboxStorageProvider implements StorageProvider {
  readonly kind = 'dropbox';
  private readonly session: DropboxSession;
  /** '' or '/Folder', as Dropbox writes paths. */
  private readonly root: string;

  constructor(
    private readonly options: DropboxOptions,
    deps: DropboxDeps = {},
  ) {
    this.session = new DropboxSession(options, deps);
    const root = confineRef(options.root.replace(/^\/+/, ''));
    this.root = root === '' ? '' : `/${root}`;
  }

  async list(folderRef: string): Promise<StorageEntry[]> {
    const path = await this.pathOf(folderRef);
    const entries: StorageEntry[] = [];
    let page = await this.session.call(`list ${folderRef}`, () =>
      this.session.sdk.filesListFolder({ path, limit: this.options.pageSize ?? 1000 }),
    );
    for (;;) {
      for (const item of page.result.entries) {
        const entry = this.entryOf(item);
        if (entry) entries.push(entry);
      }
      if (!page.result.has_more) break;
      const cursor = page.result.cursor;
      page = await this.session.call(`list ${folderRef}`, () => this.session.sdk.filesListFolderContinue({ cursor }));
    }
    return entries;
  }

  async stat(ref: string): Promise<StorageEntry> {
    if (isId(ref)) return this.entryOrThrow(await this.confinedMetadata(ref), ref);
    const path = await this.pathOf(ref);
    if (path === '')
      return { ref: '', name: '', kind: 'folder', size: null, contentType: null, checksum: null, modifiedAt: null };
    const meta = await this.session.call(`stat ${ref}`, () => this.session.sdk.filesGetMetadata({ path }));
    return this.entryOrThrow(meta.result, ref);
  }

  /** Streams `/2/files/download` with a Range header; the SDK's filesDownload would buffer the whole file. */
  async open(ref: string, range?: ByteRange): Promise<OpenedFile> {
    const path = await this.pathOf(ref);
    if (path === '') throw new StorageError('not_found', 'the root is not a file');
    if (range && (range.start < 0 || range.end < range.start)) {
      throw new StorageError('range_not_satisfiable', `invalid range ${range.start}-${range.end}`);
    }
    const response = await this.session.call(`open ${ref}`, async (token) => {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        'Dropbox-API-Arg': headerSafeJson({ path }),
      };
      if (range) headers.Range = rangeHeader(range);
      const res = await this.session.fetch(DOWNLOAD_URL, { method: 'POST', headers });
      if (!res.ok) throw await responseError(res);
      return res;
    });
    const meta = JSON.parse(response.headers.get('dropbox-api-result') ?? '{}') as { name?: string; size?: number };
    const served = parseContentRange(response.headers.get('content-range'));
    const size = served?.size ?? meta.size ?? Number(response.headers.get('content-length'));
    if (!response.body) throw new StorageError('unavailable', `download of ${ref} returned no body`);
    return {
      stream: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      size,
      contentType: contentTypeFor(meta.name ?? path),
      range: range ? (served?.range ?? { start: range.start, end: Math.min(range.end, size - 1) }) : undefined,
    };
  }

  /**
   * Dropbox's `get_temporary_link`: valid for 4 hours regardless of ttlSeconds, served under the
   * file's own name regardless of downloadName. Callers that need a shorter life or another name
   * must stream through open() instead.
   */
  async temporaryUrl(ref: string, _ttlSeconds: number, _downloadName: string): Promise<string> {
    const path = await this.pathOf(ref);
    if (path === '') throw new StorageError('not_found', 'the root is not a file');
    const result = await this.session.call(`link ${ref}`, () => this.session.sdk.filesGetTemporaryLink({ path }));
    return result.result.link;
  }

  /** The Dropbox path for a ref: root-joined for relative refs, the confined path_lower for `id:` refs. */
  private async pathOf(ref: string): Promise<string> {
    if (isId(ref)) return (await this.confinedMetadata(ref)).path_lower!;
    const rel = confineRef(ref);
    if (rel === '') return this.root;
    return `${this.root}/${rel}`;
  }

  /** Metadata for an `id:` ref, refused unless the item lies inside the root. */
  private async confinedMetadata(ref: string): Promise<Metadata> {
    if (!/^id:[A-Za-z0-9_-]+$/.test(ref)) throw new StorageError('outside_root', `malformed id ref ${ref}`);
    const meta = await this.session.call(`stat ${ref}`, () => this.session.sdk.filesGetMetadata({ path: ref }));
    if (this.relativeOf(meta.result) === null) throw new StorageError('outside_root', `${ref} lies outside the root`);
    return meta.result;
  }

  /** The ref for a path under the root, or null when it lies elsewhere. */
  private relativeOf(meta: Metadata): string | null {
    const lower = meta.path_lower;
    if (!lower) return null;
    const rootLower = this.root.toLowerCase();
    if (!lower.startsWith(`${rootLower}/`)) return null;
    // path_display keeps the merchant's casing; fall back to path_lower if lengths disagree.
    const display = meta.path_display && meta.path_display.length === lower.length ? meta.path_display : lower;
    return display.slice(rootLower.length + 1);
  }

  private entryOf(meta: Metadata): StorageEntry | null {
    const ref = this.relativeOf(meta);
    if (ref === null) return null;
    if (meta['.tag'] === 'folder') {
      return { ref, name: meta.name, kind: 'folder', size: null, contentType: null, checksum: null, modifiedAt: null };
    }
    if (meta['.tag'] !== 'file') return null;
    return {
      ref,
      name: meta.name,
      kind: 'file',
      size: meta.size,
      contentType: contentTypeFor(meta.name),
      checksum: meta.content_hash ? `dropbox:${meta.content_hash}` : null,
      modifiedAt: meta.server_modified ? new Date(meta.server_modified) : null,
    };
  }

  private entryOrThrow(meta: Metadata, ref: string): StorageEntry {
    const entry = this.entryOf(meta);
    if (!entry) throw new StorageError('not_found', `${ref} not found`);
    return entry;
  }
}

function isId(ref: string): boolean {
  return ref.startsWith('id:');
}

/** Dropbox wants non-ASCII in Dropbox-API-Arg escaped as \uXXXX. */
function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Turns a failed raw response into the SDK's error type, so one mapper handles both paths. */
async function responseError(res: Response): Promise<DropboxResponseError<unknown>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain-text errors (400, 5xx) stay text
  }
  return new DropboxResponseError(res.status, res.headers, body);
}
