import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendContent, sendJson } from '../../testing/fake-http.js';
import { FakeStorageServer } from '../../testing/fake-storage-server.js';
import { dropboxContentHash } from './dropbox-content-hash.js';

interface FakeNode {
  id: string;
  pathDisplay: string;
  kind: 'file' | 'folder';
  content: Buffer;
  modified: Date;
}

export interface FakeDropboxOptions {
  /** Entries per list_folder page (the client's `limit` can only lower it). */
  pageSize?: number;
  clientId?: string;
  clientSecret?: string;
  /** Access tokens valid from the start. */
  accessTokens?: string[];
  /** Refresh tokens the token endpoint accepts. */
  refreshTokens?: string[];
}

export interface FakeFailure {
  status: number;
  /** Seconds, sent as Retry-After (429). */
  retryAfter?: number;
  /** How many requests fail this way (default 1). */
  times?: number;
  /** Only requests whose path starts with this ('/2/files/download', '/oauth2/token'). */
  path?: string;
}

export interface RequestRecord {
  method: string;
  path: string;
  authorization: string | undefined;
  range: string | undefined;
}

/**
 * An in-process stand-in for the Dropbox API v2 on 127.0.0.1, serving both hosts (api. and content.):
 * RPC routes with JSON bodies, the download route with Dropbox-API-Arg / Dropbox-API-Result and Range,
 * OAuth token grants, temporary links served by itself, Dropbox-shaped errors, injectable failures.
 */
export class FakeDropboxServer extends FakeStorageServer<FakeFailure> {
  readonly requests: RequestRecord[] = [];
  readonly clientId: string;
  readonly clientSecret: string;
  private readonly nodes = new Map<string, FakeNode>();
  private readonly validTokens: Set<string>;
  private readonly expiredTokens = new Set<string>();
  private readonly refreshTokens: Set<string>;
  private readonly codes = new Map<string, string>();
  private readonly links = new Map<string, { path: string; expires: number }>();
  private readonly pageSize: number;
  private counter = 0;

  constructor(options: FakeDropboxOptions = {}) {
    super();
    this.pageSize = options.pageSize ?? 2;
    this.clientId = options.clientId ?? 'fake-client-id';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
    this.validTokens = new Set(options.accessTokens ?? ['fake-access-token']);
    this.refreshTokens = new Set(options.refreshTokens ?? ['fake-refresh-token']);
  }

  /** Adds a file (and its parent folders) at a Dropbox path such as '/Shop/ebooks/novel.pdf'. */
  addFile(path: string, content: Buffer | string, modified = new Date('2026-01-02T03:04:05Z')): string {
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (parent) this.addFolder(parent);
    return this.put(path, 'file', Buffer.from(content), modified);
  }

  addFolder(path: string): string {
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (parent) this.addFolder(parent);
    return this.nodes.get(path.toLowerCase())?.id ?? this.put(path, 'folder', Buffer.alloc(0), new Date(0));
  }

  /** The access token now answers 401 expired_access_token, as after its four hours. */
  expireAccessToken(token: string): void {
    this.validTokens.delete(token);
    this.expiredTokens.add(token);
  }

  /** Issues a one-time authorization code, as the authorize page would after the merchant consents. */
  issueAuthorizationCode(redirectUri: string): string {
    const code = `code-${++this.counter}`;
    this.codes.set(code, redirectUri);
    return code;
  }

  private put(path: string, kind: FakeNode['kind'], content: Buffer, modified: Date): string {
    const id = `id:${randomBytes(6).toString('hex')}`;
    this.nodes.set(path.toLowerCase(), { id, pathDisplay: path, kind, content, modified });
    return id;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
      range: req.headers.range,
    });
    const body = await readBody(req);

    const failure = this.takeFailure(url.pathname);
    if (failure) {
      if (failure.status === 429) {
        const retryAfter = String(failure.retryAfter ?? 1);
        return sendJson(
          res,
          429,
          {
            error_summary: 'too_many_requests/..',
            error: { reason: { '.tag': 'too_many_requests' }, retry_after: Number(retryAfter) },
          },
          { 'Retry-After': retryAfter },
        );
      }
      res.writeHead(failure.status, { 'Content-Type': 'text/plain' });
      return void res.end('Internal Server Error');
    }

    if (req.method === 'GET' && url.pathname.startsWith('/temp/')) return this.serveTemporaryLink(req, res, url);
    if (req.method !== 'POST') return sendJson(res, 404, { error: 'not found' });
    if (url.pathname === '/oauth2/token') return this.token(req, res, url, body);

    const auth = this.checkBearer(req, res);
    if (!auth) return;
    switch (url.pathname) {
      case '/2/files/list_folder':
        return this.listFolder(res, parseJson(body));
      case '/2/files/list_folder/continue':
        return this.listFolderContinue(res, parseJson(body));
      case '/2/files/get_metadata':
        return this.getMetadata(res, parseJson(body));
      case '/2/files/get_temporary_link':
        return this.getTemporaryLink(res, parseJson(body));
      case '/2/files/download':
        return this.download(req, res);
      default:
        return sendJson(res, 404, { error_summary: 'unknown endpoint' });
    }
  }

  private checkBearer(req: IncomingMessage, res: ServerResponse): boolean {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token && this.validTokens.has(token)) return true;
    const tag = token && this.expiredTokens.has(token) ? 'expired_access_token' : 'invalid_access_token';
    sendJson(res, 401, { error_summary: `${tag}/..`, error: { '.tag': tag } });
    return false;
  }

  private token(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    // Form body as Dropbox documents; query parameters too, which is what the SDK's DropboxAuth sends.
    const params = new URLSearchParams(body.toString());
    for (const [key, value] of url.searchParams) if (!params.has(key)) params.set(key, value);
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    const clientId = params.get('client_id') ?? basicId;
    const clientSecret = params.get('client_secret') ?? basicSecret;
    if (clientId !== this.clientId || clientSecret !== this.clientSecret) {
      return sendJson(res, 400, { error: 'invalid_client', error_description: 'Invalid client_id or client_secret' });
    }
    const grant = params.get('grant_type');
    let refreshToken: string | undefined;
    if (grant === 'refresh_token') {
      if (!this.refreshTokens.has(params.get('refresh_token') ?? '')) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'refresh token is malformed' });
      }
    } else if (grant === 'authorization_code') {
      const code = params.get('code') ?? '';
      if (this.codes.get(code) !== params.get('redirect_uri')) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: "code doesn't exist or has expired" });
      }
      this.codes.delete(code);
      refreshToken = `refresh-${++this.counter}`;
      this.refreshTokens.add(refreshToken);
    } else {
      return sendJson(res, 400, { error: 'unsupported_grant_type' });
    }
    const accessToken = `access-${++this.counter}`;
    this.validTokens.add(accessToken);
    sendJson(res, 200, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: 14400,
      ...(refreshToken ? { refresh_token: refreshToken, uid: '12345', account_id: 'dbid:fake' } : {}),
    });
  }

  private find(path: unknown): FakeNode | undefined {
    if (typeof path !== 'string') return undefined;
    if (path.startsWith('id:')) return [...this.nodes.values()].find((n) => n.id === path);
    return this.nodes.get(path.toLowerCase());
  }

  private children(folderLower: string): FakeNode[] {
    return [...this.nodes.entries()]
      .filter(([lower]) => lower.slice(0, lower.lastIndexOf('/')) === folderLower)
      .map(([, node]) => node)
      .sort((a, b) => a.pathDisplay.localeCompare(b.pathDisplay));
  }

  private listFolder(res: ServerResponse, arg: Record<string, unknown>): void {
    const path = String(arg.path ?? '');
    if (path !== '' && this.find(path)?.kind !== 'folder') {
      return pathError(res, this.find(path) ? 'not_folder' : 'not_found', 'path');
    }
    const folderLower = path === '' ? '' : this.find(path)!.pathDisplay.toLowerCase();
    const limit = Math.min(Number(arg.limit ?? this.pageSize), this.pageSize);
    this.sendPage(res, folderLower, 0, limit);
  }

  private listFolderContinue(res: ServerResponse, arg: Record<string, unknown>): void {
    let cursor: { folder: string; offset: number; limit: number };
    try {
      cursor = JSON.parse(Buffer.from(String(arg.cursor), 'base64url').toString());
    } catch {
      return sendJson(res, 409, { error_summary: 'reset/..', error: { '.tag': 'reset' } });
    }
    this.sendPage(res, cursor.folder, cursor.offset, cursor.limit);
  }

  private sendPage(res: ServerResponse, folderLower: string, offset: number, limit: number): void {
    const all = this.children(folderLower);
    const page = all.slice(offset, offset + limit);
    const next = offset + page.length;
    sendJson(res, 200, {
      entries: page.map((node) => metadata(node)),
      cursor: Buffer.from(JSON.stringify({ folder: folderLower, offset: next, limit })).toString('base64url'),
      has_more: next < all.length,
    });
  }

  private getMetadata(res: ServerResponse, arg: Record<string, unknown>): void {
    const node = this.find(arg.path);
    if (!node) return pathError(res, 'not_found', 'path');
    sendJson(res, 200, metadata(node));
  }

  private getTemporaryLink(res: ServerResponse, arg: Record<string, unknown>): void {
    const node = this.find(arg.path);
    if (!node) return pathError(res, 'not_found', 'path');
    if (node.kind !== 'file') return pathError(res, 'not_file', 'path');
    const key = randomBytes(12).toString('hex');
    this.links.set(key, { path: node.pathDisplay.toLowerCase(), expires: Date.now() + 4 * 3600 * 1000 });
    sendJson(res, 200, {
      metadata: metadata(node),
      link: `${this.baseUrl}/temp/${key}/${encodeURIComponent(basename(node))}`,
    });
  }

  private download(req: IncomingMessage, res: ServerResponse): void {
    let arg: Record<string, unknown>;
    try {
      arg = JSON.parse(String(req.headers['dropbox-api-arg'] ?? ''));
    } catch {
      return sendJson(res, 400, {
        error: 'Error in call to API function "files/download": Bad HTTP "Dropbox-API-Arg" header',
      });
    }
    const node = this.find(arg.path);
    if (!node) return pathError(res, 'not_found', 'path');
    if (node.kind !== 'file') return pathError(res, 'not_file', 'path');
    sendContent(req, res, node.content, {
      'Content-Type': 'application/octet-stream',
      'Dropbox-API-Result': headerSafeJson(metadata(node)),
    });
  }

  private serveTemporaryLink(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const key = url.pathname.split('/')[2] ?? '';
    const link = this.links.get(key);
    const node = link && link.expires > Date.now() ? this.nodes.get(link.path) : undefined;
    if (!node) {
      res.writeHead(410, { 'Content-Type': 'text/plain' });
      return void res.end('Gone');
    }
    sendContent(req, res, node.content, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${basename(node)}"`,
    });
  }
}

function basename(node: FakeNode): string {
  return node.pathDisplay.slice(node.pathDisplay.lastIndexOf('/') + 1);
}

function metadata(node: FakeNode): Record<string, unknown> {
  const common = {
    name: basename(node),
    id: node.id,
    path_lower: node.pathDisplay.toLowerCase(),
    path_display: node.pathDisplay,
  };
  if (node.kind === 'folder') return { '.tag': 'folder', ...common };
  return {
    '.tag': 'file',
    ...common,
    client_modified: node.modified.toISOString().replace(/\.\d+Z$/, 'Z'),
    server_modified: node.modified.toISOString().replace(/\.\d+Z$/, 'Z'),
    rev: 'a1c10ce0dd78',
    size: node.content.length,
    is_downloadable: true,
    content_hash: dropboxContentHash(node.content),
  };
}

function pathError(res: ServerResponse, tag: string, field: string): void {
  sendJson(res, 409, { error_summary: `${field}/${tag}/..`, error: { '.tag': field, [field]: { '.tag': tag } } });
}

function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    return JSON.parse(body.toString()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Starts a fake on a free port; `await fake.close()` when done. */
export function startFakeDropbox(options?: FakeDropboxOptions): Promise<FakeDropboxServer> {
  return new FakeDropboxServer(options).start();
}
