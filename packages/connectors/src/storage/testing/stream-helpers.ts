import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import type { Readable } from 'node:stream';
import { StorageError } from '../storage-provider.js';

export async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
export const md5Hex = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

/** Resolves to the StorageError reason the promise rejects with; fails when it resolves or throws otherwise. */
export async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StorageError) return error.reason;
    throw error;
  }
  throw new Error('expected a StorageError, got success');
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released), for outage tests. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
