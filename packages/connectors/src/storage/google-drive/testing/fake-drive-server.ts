import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendContent, sendJson } from '../../testing/fake-http.js';
import { FakeStorageServer } from '../../testing/fake-storage-server.js';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';

interface FakeFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  content: Buffer | null;
  modifiedTime: string;
  trashed: boolean;
}

export interface FakeDriveOptions {
  /** Upper bound on files per page, whatever pageSize the client asks for. */
  maxPageSize?: number;
  clientId?: string;
  clientSecret?: string;
  accessTokens?: string[];
  refreshTokens?: string[];
}

export interface FakeDriveFailure {
  status: number;
  /** Google error reason: rateLimitExceeded (429), userRateLimitExceeded (403), backendError (5xx). */
  reason?: string;
  retryAfter?: number;
  times?: number;
  /** Only requests whose path starts with this. */
  path?: string;
}

export interface DriveRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  range: string | undefined;
}

/**
 * An in-process stand-in for Drive API v3 on 127.0.0.1: `GET /drive/v3/files` (the `'<id>' in parents`
 * query form, pageSize, pageToken), `GET /drive/v3/files/:id` (+ `alt=media` with Range), `POST /token`
 * (refresh and authorization-code grants), Google-shaped errors and injectable failures.
 */
export class FakeDriveServer extends FakeStorageServer<FakeDriveFailure> {
  readonly requests: DriveRequestRecord[] = [];
  readonly clientId: string;
  readonly clientSecret: string;
  private readonly files = new Map<string, FakeFile>();
  private readonly validTokens: Set<string>;
  private readonly refreshTokens: Set<string>;
  private readonly codes = new Map<string, string>();
  private readonly maxPageSize: number;
  private counter = 0;

  constructor(options: FakeDriveOptions = {}) {
    super();
    this.maxPageSize = options.maxPageSize ?? 1000;
    this.clientId = options.clientId ?? 'fake-client.apps.googleusercontent.com';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
    this.validTokens = new Set(options.accessTokens ?? ['fake-access-token']);
    this.refreshTokens = new Set(options.refreshTokens ?? ['fake-refresh-token']);
  }

  addFolder(name: string, parentId: string | null): string {
    return this.put({ name, mimeType: FOLDER_MIME, parents: parentId ? [parentId] : [], content: null });
  }

  addFile(name: string, parentId: string, content: Buffer | string, mimeType = 'application/octet-stream'): string {
    return this.put({ name, mimeType, parents: [parentId], content: Buffer.from(content) });
  }

  /** A Google Docs-native file: listed, but has no bytes to download. */
  addGoogleDoc(name: string, parentId: string): string {
    return this.put({ name, mimeType: 'application/vnd.google-apps.document', parents: [parentId], content: null });
  }

  trash(id: string): void {
    this.files.get(id)!.trashed = true;
  }

  move(id: string, newParentId: string): void {
    this.files.get(id)!.parents = [newParentId];
  }

  /** Invalidates an access token, as when it expires after its hour. */
  revokeAccessToken(token: string): void {
    this.validTokens.delete(token);
  }

  issueAuthorizationCode(redirectUri: string): string {
    const code = `4/fake-code-${++this.counter}`;
    this.codes.set(code, redirectUri);
    return code;
  }

  private put(file: Omit<FakeFile, 'id' | 'modifiedTime' | 'trashed'>): string {
    const id = randomBytes(12).toString('base64url');
    this.files.set(id, { ...file, id, modifiedTime: '2026-02-03T04:05:06.789Z', trashed: false });
    return id;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query,
      authorization: req.headers.authorization,
      range: req.headers.range,
    });
    const body = await readBody(req);

    const failure = this.takeFailure(url.pathname);
    if (failure) {
      const reason = failure.reason ?? (failure.status === 429 ? 'rateLimitExceeded' : 'backendError');
      const headers: Record<string, string> = failure.retryAfter ? { 'Retry-After': String(failure.retryAfter) } : {};
      return googleError(res, failure.status, reason, `fake failure: ${reason}`, headers);
    }

    if (req.method === 'POST' && url.pathname === '/token') return this.token(res, body);
    if (req.method !== 'GET') return googleError(res, 405, 'httpMethodNotAllowed', 'Method not allowed');

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.validTokens.has(token)) {
      return googleError(res, 401, 'authError', 'Request had invalid authentication credentials.');
    }
    if (url.pathname === '/drive/v3/files') return this.list(res, url);
    const match = /^\/drive\/v3\/files\/([^/]+)$/.exec(url.pathname);
    if (match) return this.get(req, res, decodeURIComponent(match[1]!), url);
    return googleError(res, 404, 'notFound', 'Not Found');
  }

  private token(res: ServerResponse, body: Buffer): void {
    const params = new URLSearchParams(body.toString());
    if (params.get('client_id') !== this.clientId || params.get('client_secret') !== this.clientSecret) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
    }
    let refreshToken: string | undefined;
    if (params.get('grant_type') === 'refresh_token') {
      if (!this.refreshTokens.has(params.get('refresh_token') ?? '')) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      }
    } else if (params.get('grant_type') === 'authorization_code') {
      const code = params.get('code') ?? '';
      if (this.codes.get(code) !== params.get('redirect_uri')) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
      }
      this.codes.delete(code);
      refreshToken = `1//fake-refresh-${++this.counter}`;
      this.refreshTokens.add(refreshToken);
    } else {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' });
    }
    const accessToken = `ya29.fake-${++this.counter}`;
    this.validTokens.add(accessToken);
    sendJson(res, 200, {
      access_token: accessToken,
      expires_in: 3599,
      scope: 'https://www.googleapis.com/auth/drive.readonly',
      token_type: 'Bearer',
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    });
  }

  private list(res: ServerResponse, url: URL): void {
    const q = url.searchParams.get('q') ?? '';
    const parsed = /^'([A-Za-z0-9_-]+)' in parents(?: and trashed ?= ?(true|false))?$/.exec(q.trim());
    if (!parsed) return googleError(res, 400, 'invalid', `Invalid Value`, {}, 'q');
    const [, parentId, trashed] = parsed;
    const all = [...this.files.values()]
      .filter((f) => f.parents.includes(parentId!) && (trashed === undefined || String(f.trashed) === trashed))
      .sort((a, b) => a.name.localeCompare(b.name));
    const pageSize = Math.min(Number(url.searchParams.get('pageSize') ?? 100), this.maxPageSize);
    const offset = url.searchParams.get('pageToken')
      ? Number(Buffer.from(url.searchParams.get('pageToken')!, 'base64url').toString())
      : 0;
    if (!Number.isInteger(offset)) return googleError(res, 400, 'invalid', 'Invalid Value', {}, 'pageToken');
    const page = all.slice(offset, offset + pageSize);
    const next = offset + page.length;
    sendJson(res, 200, {
      kind: 'drive#fileList',
      incompleteSearch: false,
      ...(next < all.length ? { nextPageToken: Buffer.from(String(next)).toString('base64url') } : {}),
      files: page.map((f) => resource(f)),
    });
  }

  private get(req: IncomingMessage, res: ServerResponse, id: string, url: URL): void {
    const file = this.files.get(id);
    if (!file) return googleError(res, 404, 'notFound', `File not found: ${id}.`, {}, 'fileId');
    if (url.searchParams.get('alt') !== 'media') return sendJson(res, 200, resource(file));
    if (!file.content) {
      return googleError(
        res,
        403,
        'fileNotDownloadable',
        'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
      );
    }
    sendContent(req, res, file.content, { 'Content-Type': file.mimeType });
  }
}

function resource(file: FakeFile): Record<string, unknown> {
  return {
    kind: 'drive#file',
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    parents: file.parents,
    trashed: file.trashed,
    modifiedTime: file.modifiedTime,
    ...(file.content
      ? { size: String(file.content.length), md5Checksum: createHash('md5').update(file.content).digest('hex') }
      : {}),
  };
}

function googleError(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
  location?: string,
): void {
  sendJson(
    res,
    code,
    {
      error: {
        code,
        message,
        errors: [
          {
            message,
            domain: reason.endsWith('RateLimitExceeded') ? 'usageLimits' : 'global',
            reason,
            ...(location ? { location, locationType: 'parameter' } : {}),
          },
        ],
      },
    },
    headers,
  );
}

export function startFakeDrive(options?: FakeDriveOptions): Promise<FakeDriveServer> {
  return new FakeDriveServer(options).start();
}
