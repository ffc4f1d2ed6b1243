import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../storage-provider.js';
import { LocalStorageProvider } from './local.provider.js';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StorageError) return error.reason;
    throw error;
  }
  throw new Error('expected a StorageError');
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('LocalStorageProvider', () => {
  let base: string;
  let root: string;
  let provider: LocalStorageProvider;
  const big = randomBytes(300_000);

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'handoff-local-'));
    root = join(base, 'root');
    await mkdir(join(root, 'ebooks', 'drafts'), { recursive: true });
    await writeFile(join(root, 'readme.txt'), 'hello buyer\n');
    await writeFile(join(root, 'ebooks', 'novel.pdf'), big);
    await writeFile(join(root, 'ebooks', 'drafts', 'draft.epub'), 'draft');
    await writeFile(join(root, 'empty.bin'), '');
    await writeFile(join(base, 'secret.txt'), 'outside the root');
    await symlink(join(base, 'secret.txt'), join(root, 'escape.txt'));
    await symlink(base, join(root, 'escape-dir'));
    await symlink(join(root, 'ebooks', 'novel.pdf'), join(root, 'novel-link.pdf'));
    await symlink(join(root, 'missing.txt'), join(root, 'dangling.txt'));
    provider = new LocalStorageProvider({ root });
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('lists the root without escaping or dangling symlinks', async () => {
    const entries = await provider.list('');
    expect(entries.map((e) => [e.ref, e.kind])).toEqual([
      ['ebooks', 'folder'],
      ['empty.bin', 'file'],
      ['novel-link.pdf', 'file'],
      ['readme.txt', 'file'],
    ]);
    expect(entries.find((e) => e.ref === 'readme.txt')).toMatchObject({
      name: 'readme.txt',
      size: 12,
      contentType: 'text/plain; charset=utf-8',
      checksum: null,
    });
  });

  it('lists a sub-folder with refs relative to the root', async () => {
    const entries = await provider.list('ebooks/');
    expect(entries.map((e) => e.ref)).toEqual(['ebooks/drafts', 'ebooks/novel.pdf']);
  });

  it('stats a file with size, type and mtime', async () => {
    const entry = await provider.stat('ebooks/novel.pdf');
    expect(entry).toMatchObject({
      ref: 'ebooks/novel.pdf',
      kind: 'file',
      size: big.length,
      contentType: 'application/pdf',
    });
    expect(entry.modifiedAt).toBeInstanceOf(Date);
  });

  it('opens a whole file', async () => {
    const opened = await provider.open('ebooks/novel.pdf');
    expect(opened.size).toBe(big.length);
    expect(opened.range).toBeUndefined();
    expect(sha256(await bytesOf(opened.stream))).toBe(sha256(big));
  });

  it('opens an inclusive byte range', async () => {
    const opened = await provider.open('ebooks/novel.pdf', { start: 1000, end: 70_999 });
    expect(opened.size).toBe(big.length);
    expect(opened.range).toEqual({ start: 1000, end: 70_999 });
    expect((await bytesOf(opened.stream)).equals(big.subarray(1000, 71_000))).toBe(true);
  });

  it('clamps a range that runs past the end and refuses one that starts past it', async () => {
    const opened = await provider.open('readme.txt', { start: 6, end: 10_000 });
    expect(opened.range).toEqual({ start: 6, end: 11 });
    expect((await bytesOf(opened.stream)).toString()).toBe('buyer\n');
    expect(await reasonOf(provider.open('readme.txt', { start: 12, end: 20 }))).toBe('range_not_satisfiable');
    expect(await reasonOf(provider.open('empty.bin', { start: 0, end: 0 }))).toBe('range_not_satisfiable');
  });

  it('follows a symlink that stays inside the root', async () => {
    const opened = await provider.open('novel-link.pdf', { start: 0, end: 9 });
    expect((await bytesOf(opened.stream)).equals(big.subarray(0, 10))).toBe(true);
  });

  it('rejects symlinks that point outside the root', async () => {
    expect(await reasonOf(provider.open('escape.txt'))).toBe('outside_root');
    expect(await reasonOf(provider.stat('escape.txt'))).toBe('outside_root');
    expect(await reasonOf(provider.open('escape-dir/secret.txt'))).toBe('outside_root');
    expect(await reasonOf(provider.list('escape-dir'))).toBe('outside_root');
  });

  it.each(['../secret.txt', 'ebooks/../../secret.txt', '%2e%2e%2fsecret.txt', '/etc/passwd', '/tmp/x/../secret.txt'])(
    'rejects traversal ref %s',
    async (ref) => {
      expect(await reasonOf(provider.open(ref))).toBe('outside_root');
    },
  );

  it('maps missing files and folders-as-files to not_found', async () => {
    expect(await reasonOf(provider.stat('nope.txt'))).toBe('not_found');
    expect(await reasonOf(provider.open('dangling.txt'))).toBe('not_found');
    expect(await reasonOf(provider.open('ebooks'))).toBe('not_found');
    expect(await reasonOf(provider.list('readme.txt'))).toBe('not_found');
  });

  it('reports a missing root as unavailable', async () => {
    const gone = new LocalStorageProvider({ root: join(base, 'no-such-root') });
    expect(await reasonOf(gone.list(''))).toBe('unavailable');
  });
});
