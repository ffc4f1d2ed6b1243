import {
  BlobSASPermissions,
  BlobServiceClient,
  StorageSharedKeyCredential,
  type BlobClient,
  type ContainerClient,
} from '@azure/storage-blob';
import { Readable } from 'node:stream';
import { parseContentRange } from '../byte-range.js';
import { attachmentDisposition } from '../content-disposition.js';
import { contentTypeFor } from '../content-types.js';
import { confineRef } from '../refs.js';
import {
  StorageError,
  type ByteRange,
  type OpenedFile,
  type StorageEntry,
  type StorageProvider,
} from '../storage-provider.js';
import {
  checkOutboundUrl,
  OutboundRefusedError,
  resolveOutboundHost,
  STRICT_OUTBOUND,
} from '../../net/outbound-policy.js';
import { mapAzureError } from './azure-blob-errors.js';
import type { AzureBlobOptions } from './azure-blob.options.js';
import { guardedPipelineOptions } from './azure-blob.pipeline.js';

/** Azure Blob Storage: refs are blob names relative to the connection's prefix, '/' as folder separator. */
export class AzureBlobStorageProvider implements StorageProvider {
  readonly kind = 'azure-blob';
  private readonly container: ContainerClient;
  private readonly prefix: string;
  /** The account's blob endpoint (from the endpoint option or the connection string). */
  readonly serviceUrl: string;

  constructor(private readonly options: AzureBlobOptions) {
    // A connection string is parsed by the SDK (no request is sent) to learn the endpoint first.
    const { url, credential } =
      'connectionString' in options
        ? BlobServiceClient.fromConnectionString(options.connectionString)
        : {
            url: options.endpoint ?? `https://${options.accountName}.blob.core.windows.net`,
            credential: new StorageSharedKeyCredential(options.accountName, options.accountKey),
          };
    const policy = options.outbound ?? STRICT_OUTBOUND;
    const service = new BlobServiceClient(url, credential, guardedPipelineOptions(url, policy, options.maxTries ?? 3));
    this.serviceUrl = service.url;
    this.container = service.getContainerClient(options.container);
    // The prefix is merchant configuration, but it goes through the same checks as a ref.
    this.prefix = confineRef(options.prefix ?? '');
  }

  async list(folderRef: string): Promise<StorageEntry[]> {
    await this.checkEndpoint();
    const folder = confineRef(folderRef);
    const base = this.blobName(folder);
    const listPrefix = base === '' ? '' : `${base}/`;
    const entries: StorageEntry[] = [];
    try {
      const pages = this.container
        .listBlobsByHierarchy('/', { prefix: listPrefix })
        .byPage({ maxPageSize: this.options.pageSize ?? 1000 });
      for await (const page of pages) {
        for (const item of page.segment.blobPrefixes ?? []) {
          const ref = this.refOf(item.name.replace(/\/$/, ''));
          if (ref !== null) entries.push(folderEntry(ref));
        }
        for (const blob of page.segment.blobItems) {
          const ref = this.refOf(blob.name);
          if (ref === null) continue;
          entries.push({
            ref,
            name: lastSegment(ref),
            kind: 'file',
            size: blob.properties.contentLength ?? null,
            contentType: blob.properties.contentType || contentTypeFor(ref),
            checksum: md5Checksum(blob.properties.contentMD5),
            modifiedAt: blob.properties.lastModified ?? null,
          });
        }
      }
    } catch (error) {
      throw mapAzureError(error, `list ${folderRef}`);
    }
    if (entries.length === 0 && folder !== '' && !(await this.folderExists(folder))) {
      throw new StorageError('not_found', `folder ${folderRef} not found`);
    }
    return entries.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  async stat(ref: string): Promise<StorageEntry> {
    await this.checkEndpoint();
    const clean = confineRef(ref);
    if (clean === '') return folderEntry('');
    try {
      const props = await this.blob(clean).getProperties();
      return {
        ref: clean,
        name: lastSegment(clean),
        kind: 'file',
        size: props.contentLength ?? null,
        contentType: props.contentType || contentTypeFor(clean),
        checksum: md5Checksum(props.contentMD5),
        modifiedAt: props.lastModified ?? null,
      };
    } catch (error) {
      const mapped = mapAzureError(error, `stat ${ref}`);
      // Folders are virtual in Blob Storage: a name with blobs under it is one.
      if (mapped.reason === 'not_found' && (await this.folderExists(clean))) return folderEntry(clean);
      throw mapped;
    }
  }

  async open(ref: string, range?: ByteRange): Promise<OpenedFile> {
    await this.checkEndpoint();
    const clean = confineRef(ref);
    if (range && (range.start < 0 || range.end < range.start)) {
      throw new StorageError('range_not_satisfiable', `invalid range ${range.start}-${range.end}`);
    }
    try {
      const response = range
        ? await this.blob(clean).download(range.start, range.end - range.start + 1)
        : await this.blob(clean).download();
      const body = response.readableStreamBody;
      if (!body) throw new StorageError('unavailable', `download of ${ref} returned no body`);
      const stream = body instanceof Readable ? body : Readable.from(body);
      const served = parseContentRange(response.contentRange);
      return {
        stream,
        size: served?.size ?? response.contentLength ?? 0,
        contentType: response.contentType || contentTypeFor(clean),
        range: range ? (served?.range ?? range) : undefined,
      };
    } catch (error) {
      throw mapAzureError(error, `open ${ref}`);
    }
  }

  /**
   * A read-only service SAS for one blob. `st` is omitted so a client clock ahead of Azure's does not
   * make a fresh link "not yet valid". Checks the blob exists first, so a missing file fails here
   * (before the hub counts a download) and not in the buyer's browser.
   */
  async temporaryUrl(ref: string, ttlSeconds: number, downloadName: string): Promise<string> {
    await this.checkEndpoint();
    const clean = confineRef(ref);
    const blob = this.blob(clean);
    try {
      await blob.getProperties();
      return await blob.generateSasUrl({
        permissions: BlobSASPermissions.parse('r'),
        expiresOn: new Date(Date.now() + ttlSeconds * 1000),
        contentDisposition: attachmentDisposition(downloadName),
      });
    } catch (error) {
      if (error instanceof RangeError || /credential/i.test((error as Error).message ?? '')) {
        throw new StorageError('unauthorized', 'SAS URLs need an account key (connection string with AccountKey)');
      }
      throw mapAzureError(error, `sas ${ref}`);
    }
  }

  private blob(clean: string): BlobClient {
    if (clean === '') throw new StorageError('not_found', 'the root is not a file');
    return this.container.getBlobClient(this.blobName(clean));
  }

  private blobName(clean: string): string {
    if (this.prefix === '') return clean;
    return clean === '' ? this.prefix : `${this.prefix}/${clean}`;
  }

  /** The ref for a listed blob name, or null for names no ref could address (`a//b`, `..`). */
  private refOf(name: string): string | null {
    const rel = this.prefix === '' ? name : name.slice(this.prefix.length + 1);
    try {
      return confineRef(rel) === rel && rel !== '' ? rel : null;
    } catch {
      return null;
    }
  }

  /**
   * Before every call: the merchant's endpoint must still be https on a public address. (The SDK's
   * sockets resolve names through the policy too, but an IP literal is connected to without a lookup.)
   */
  private async checkEndpoint(): Promise<void> {
    try {
      const policy = this.options.outbound ?? STRICT_OUTBOUND;
      await resolveOutboundHost(checkOutboundUrl(this.serviceUrl, policy).hostname, policy);
    } catch (error) {
      if (error instanceof OutboundRefusedError) {
        throw new StorageError('unavailable', `Azure endpoint refused: ${error.message}`);
      }
      throw error;
    }
  }

  private async folderExists(clean: string): Promise<boolean> {
    try {
      const first = await this.container
        .listBlobsFlat({ prefix: `${this.blobName(clean)}/` })
        .byPage({ maxPageSize: 1 })
        .next();
      return !first.done && first.value.segment.blobItems.length > 0;
    } catch (error) {
      throw mapAzureError(error, `stat ${clean}`);
    }
  }
}

function folderEntry(ref: string): StorageEntry {
  return {
    ref,
    name: lastSegment(ref),
    kind: 'folder',
    size: null,
    contentType: null,
    checksum: null,
    modifiedAt: null,
  };
}

function lastSegment(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

function md5Checksum(md5: Uint8Array | undefined): string | null {
  return md5 && md5.length > 0 ? `md5:${Buffer.from(md5).toString('hex')}` : null;
}
