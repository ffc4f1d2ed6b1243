import { auth as googleAuth, drive, type drive_v3 } from 'googleapis/build/src/apis/drive/index.js';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { clampRange, rangeHeader } from '../byte-range.js';
import { contentTypeFor, GENERIC_BINARY } from '../content-types.js';
import {
  StorageError,
  type ByteRange,
  type OpenedFile,
  type StorageEntry,
  type StorageProvider,
} from '../storage-provider.js';
import { describeGoogleError, isTransientGoogleError, mapGoogleError } from './google-drive-errors.js';
import { GOOGLE_TOKEN_ENDPOINT } from './google-drive.oauth.js';
import type { GoogleDriveDeps, GoogleDriveOptions } from './google-drive.options.js';

type OAuth2Client = InstanceType<typeof googleAuth.OAuth2>;
type DriveFile = drive_v3.Schema$File;

const FIELDS = 'id,name,mimeType,size,md5Checksum,modifiedTime,parents,trashed';
const FOLDER_MIME = 'application/vnd.google-apps.folder';
/** Drive ids are URL-safe base64-ish; anything else is refused before it reaches a query string. */
const DRIVE_ID = /^[A-Za-z0-9_-]{1,256}$/;
/** How long "this id lies under the root" is trusted before the parents are walked again. */
const INSIDE_TTL_MS = 5 * 60_000;
const MAX_DEPTH = 64;
const MAX_WAIT_MS = 30_000;
/** A stored access token without a known expiry is trusted this long; a 401 refreshes it anyway. */
const ASSUMED_LIFETIME_MS = 10 * 60_000;

/**
 * Google Drive: refs are file ids. A ref is confined by walking its `parents` up to the root folder
 * (results cached for a few minutes). Drive has no presigned URLs for private files, so there is no
 * temporaryUrl: the hub streams through open().
 */
export class GoogleDriveStorageProvider implements StorageProvider {
  readonly kind = 'google-drive';
  private readonly api: drive_v3.Drive;
  private readonly client: OAuth2Client;
  private readonly inside = new Map<string, number>();
  private credentialWrite: Promise<void> = Promise.resolve();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly options: GoogleDriveOptions,
    deps: GoogleDriveDeps = {},
  ) {
    if (!DRIVE_ID.test(options.rootFolderId)) throw new StorageError('outside_root', 'malformed root folder id');
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.client = new googleAuth.OAuth2({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      endpoints: { oauth2TokenUrl: options.tokenUrl ?? GOOGLE_TOKEN_ENDPOINT },
      // 401s are handled in call(): the library would also refresh on every rate-limit 403.
      forceRefreshOnFailure: false,
    });
    const expiry = options.accessTokenExpiresAt
      ? new Date(options.accessTokenExpiresAt).getTime()
      : Date.now() + ASSUMED_LIFETIME_MS;
    this.client.setCredentials({
      refresh_token: options.refreshToken,
      access_token: options.accessToken ?? null,
      expiry_date: options.accessToken ? expiry : null,
    });
    this.client.on('tokens', (tokens) => {
      if (!tokens.access_token) return;
      const next = {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token ?? options.refreshToken,
        expiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
      };
      this.credentialWrite = this.credentialWrite.then(() => deps.onCredentialsChanged?.(next));
    });
    this.api = drive({
      version: 'v3',
      auth: this.client,
      rootUrl: options.apiBaseUrl ? `${options.apiBaseUrl.replace(/\/$/, '')}/` : undefined,
      retry: false, // retries are ours, with Retry-After and rate-limit 403s
    });
  }

  async list(folderRef: string): Promise<StorageEntry[]> {
    let folderId = this.options.rootFolderId;
    if (folderRef !== '') {
      const folder = await this.confine(folderRef);
      if (folder.mimeType !== FOLDER_MIME) throw new StorageError('not_found', `${folderRef} is not a folder`);
      folderId = folder.id!;
    }
    const entries: StorageEntry[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const { data } = await this.call(`list ${folderRef}`, () =>
        this.api.files.list({
          q: `'${folderId}' in parents and trashed = false`,
          fields: `nextPageToken, files(${FIELDS})`,
          pageSize: this.options.pageSize ?? 1000,
          pageToken: token,
          supportsAllDrives: true,
          includeItemsFromAllDrives: true,
        }),
      );
      for (const file of data.files ?? []) {
        if (!file.id) continue;
        this.markInside(file.id);
        entries.push(entryOf(file));
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return entries;
  }

  async stat(ref: string): Promise<StorageEntry> {
    if (ref === '') {
      return { ref: '', name: '', kind: 'folder', size: null, contentType: null, checksum: null, modifiedAt: null };
    }
    return entryOf(await this.confine(ref));
  }

  /** Streams `alt=media` with a Range header; the range is checked against the known size first. */
  async open(ref: string, range?: ByteRange): Promise<OpenedFile> {
    if (ref === '') throw new StorageError('not_found', 'the root is not a file');
    const file = await this.confine(ref);
    if (file.mimeType === FOLDER_MIME) throw new StorageError('not_found', `${ref} is a folder`);
    if (file.size == null) throw new StorageError('not_found', `${ref} has no downloadable bytes (a Google Docs file)`);
    const size = Number(file.size);
    const served = range ? clampRange(range, size) : undefined;
    const response = await this.call(`open ${ref}`, () =>
      this.api.files.get(
        { fileId: file.id!, alt: 'media', supportsAllDrives: true },
        { responseType: 'stream', headers: served ? { Range: rangeHeader(served) } : {} },
      ),
    );
    if (served && response.status !== 206) {
      // A 200 here would hand the buyer the whole file as if it were the asked slice.
      throw new StorageError('unavailable', `Drive ignored the Range header for ${ref}`);
    }
    const body = response.data as unknown;
    const stream = body instanceof Readable ? body : Readable.fromWeb(body as WebReadableStream<Uint8Array>);
    return { stream, size, contentType: contentTypeOf(file), range: served };
  }

  /** Metadata for a ref, refused unless the file lies (transitively) under the root folder. */
  private async confine(ref: string): Promise<DriveFile> {
    if (!DRIVE_ID.test(ref))
      throw new StorageError('outside_root', `malformed Drive id ${JSON.stringify(ref.slice(0, 80))}`);
    const file = await this.metadata(ref, FIELDS);
    if (!file || file.trashed) throw new StorageError('not_found', `${ref} not found`);
    if (!(await this.isInside(file, 0))) throw new StorageError('outside_root', `${ref} lies outside the root folder`);
    return file;
  }

  private async isInside(file: DriveFile, depth: number): Promise<boolean> {
    const id = file.id!;
    if (id === this.options.rootFolderId || this.knownInside(id)) return true;
    if (depth >= MAX_DEPTH) return false;
    for (const parent of file.parents ?? []) {
      if (parent === this.options.rootFolderId || this.knownInside(parent)) {
        this.markInside(id);
        return true;
      }
    }
    for (const parent of file.parents ?? []) {
      const parentFile = await this.metadata(parent, 'id,parents');
      if (parentFile && (await this.isInside(parentFile, depth + 1))) {
        this.markInside(id);
        return true;
      }
    }
    return false;
  }

  /** files.get, or null for a 404 (a parent the merchant did not share is simply not the root). */
  private async metadata(id: string, fields: string): Promise<DriveFile | null> {
    try {
      const { data } = await this.call(`stat ${id}`, () =>
        this.api.files.get({ fileId: id, fields, supportsAllDrives: true }),
      );
      return data;
    } catch (error) {
      if (error instanceof StorageError && error.reason === 'not_found') return null;
      throw error;
    }
  }

  private knownInside(id: string): boolean {
    const until = this.inside.get(id);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.inside.delete(id);
    return false;
  }

  private markInside(id: string): void {
    if (this.inside.size > 50_000) this.inside.clear(); // bound memory on huge drives
    this.inside.set(id, Date.now() + INSIDE_TTL_MS);
  }

  /** Runs a request: one forced token refresh on 401, retries on transient failures, errors mapped. */
  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await request();
        await this.credentialWrite;
        return result;
      } catch (error) {
        const { status, retryAfterMs } = describeGoogleError(error);
        if (status === 401 && !refreshed) {
          refreshed = true;
          this.client.credentials.expiry_date = 1; // makes the client refresh before the retry
          attempt--;
          continue;
        }
        const wait = retryAfterMs ?? 250 * 2 ** attempt;
        if (isTransientGoogleError(error) && attempt < (this.options.maxRetries ?? 2) && wait <= MAX_WAIT_MS) {
          await this.sleep(wait);
          continue;
        }
        throw mapGoogleError(error, what);
      }
    }
  }
}

function contentTypeOf(file: DriveFile): string | null {
  if (file.mimeType === FOLDER_MIME) return null;
  if (!file.mimeType || file.mimeType === GENERIC_BINARY) return contentTypeFor(file.name ?? '');
  return file.mimeType;
}

function entryOf(file: DriveFile): StorageEntry {
  const folder = file.mimeType === FOLDER_MIME;
  return {
    ref: file.id!,
    name: file.name ?? '',
    kind: folder ? 'folder' : 'file',
    size: folder || file.size == null ? null : Number(file.size),
    contentType: contentTypeOf(file),
    checksum: file.md5Checksum ? `md5:${file.md5Checksum}` : null,
    modifiedAt: file.modifiedTime ? new Date(file.modifiedTime) : null,
  };
}
