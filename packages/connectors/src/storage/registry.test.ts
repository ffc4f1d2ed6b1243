import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AzureBlobStorageProvider } from './azure-blob/azure-blob.provider.js';
import { DropboxStorageProvider } from './dropbox/dropbox.provider.js';
import { GoogleDriveStorageProvider } from './google-drive/google-drive.provider.js';
import { LocalStorageProvider } from './local/local.provider.js';
import { createStorageProvider, STORAGE_KINDS, type StorageConfig } from './registry.js';

describe('createStorageProvider', () => {
  it('builds a working local provider', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'handoff-registry-'));
    try {
      await writeFile(join(dir, 'a.txt'), 'a');
      const provider = createStorageProvider({ kind: 'local', options: { root: dir } });
      expect(provider).toBeInstanceOf(LocalStorageProvider);
      expect((await provider.list('')).map((e) => e.ref)).toEqual(['a.txt']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds each kind, and only Azure and Dropbox offer temporary URLs', () => {
    const configs: StorageConfig[] = [
      { kind: 'local', options: { root: tmpdir() } },
      {
        kind: 'azure-blob',
        options: { accountName: 'acct', accountKey: Buffer.from('k').toString('base64'), container: 'c' },
      },
      { kind: 'dropbox', options: { root: '/Shop', accessToken: 't' } },
      { kind: 'google-drive', options: { rootFolderId: 'root1', clientId: 'c', clientSecret: 's', refreshToken: 'r' } },
    ];
    const built = configs.map((c) => createStorageProvider(c));
    expect(built.map((p) => p.kind)).toEqual([...STORAGE_KINDS]);
    expect(built[1]).toBeInstanceOf(AzureBlobStorageProvider);
    expect(built[2]).toBeInstanceOf(DropboxStorageProvider);
    expect(built[3]).toBeInstanceOf(GoogleDriveStorageProvider);
    expect(built.map((p) => typeof p.temporaryUrl === 'function')).toEqual([false, true, true, false]);
  });

  it('refuses an unknown kind and a root that escapes', () => {
    expect(() => createStorageProvider({ kind: 's3', options: {} } as unknown as StorageConfig)).toThrow(
      /unknown storage kind/,
    );
    expect(() => createStorageProvider({ kind: 'dropbox', options: { root: '/Shop/../Other' } })).toThrow(/rejected/);
  });
});
