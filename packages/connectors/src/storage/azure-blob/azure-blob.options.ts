import type { OutboundPolicy } from '../../net/outbound-policy.js';

/** How a merchant connects an Azure Blob container. */
export type AzureBlobOptions = AzureBlobCredentials & {
  container: string;
  /** Folder inside the container that is the connection's root ('' or absent = the whole container). */
  prefix?: string;
  /** Blobs per listing request (Azure's maximum is 5000); tests use a small one to force paging. */
  pageSize?: number;
  /** Attempts per request (the SDK retries 5xx and network errors); default 3. */
  maxTries?: number;
  /** The endpoint is merchant-given: where it may point (default strict: https, public address). */
  outbound?: OutboundPolicy;
};

export type AzureBlobCredentials =
  | { connectionString: string }
  /** endpoint defaults to https://<accountName>.blob.core.windows.net */
  | { accountName: string; accountKey: string; endpoint?: string };
