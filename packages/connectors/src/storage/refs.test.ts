import { describe, expect, it } from 'vitest';
import { childRef, confineRef } from './refs.js';
import { StorageError } from './storage-provider.js';

const hostile: Array<[string, string]> = [
  ['..', 'parent'],
  ['../etc/passwd', 'leading parent'],
  ['a/../../etc/passwd', 'parent in the middle'],
  ['a/..', 'trailing parent'],
  ['a/./b', 'dot segment'],
  ['.', 'lone dot'],
  ['...', 'Windows folds trailing dots'],
  ['.. /x', 'dot with a space'],
  ['\uff0e\uff0e/secret', 'fullwidth dots'],
  ['/etc/passwd', 'absolute'],
  ['/', 'root slash'],
  ['//server/share', 'UNC-ish'],
  ['C:/Windows/win.ini', 'drive letter'],
  ['c:secret', 'drive-relative'],
  ['a\\..\\b', 'backslashes'],
  ['..\\secret', 'backslash parent'],
  ['a\u0000.txt', 'NUL'],
  ['a\n.txt', 'newline'],
  ['%2e%2e%2fetc%2fpasswd', 'encoded traversal'],
  ['%2E%2E/secret', 'upper-case encoded dots'],
  ['a/%2e%2e/%2e%2e/x', 'encoded dot segments'],
  ['%252e%252e%252fsecret', 'double-encoded'],
  ['%25252e%25252e/secret', 'triple-encoded'],
  ['..%2fsecret', 'half-encoded'],
  ['%2fetc%2fpasswd', 'encoded absolute'],
  ['a%5c..%5cb', 'encoded backslash'],
  ['a%00.txt', 'encoded NUL'],
  ['a//b', 'empty segment'],
  ['a//', 'double trailing slash'],
  ['file:///etc/passwd', 'file URL'],
  ['x'.repeat(2000), 'too long'],
];

const fine: Array<[string, string]> = [
  ['', ''],
  ['file.pdf', 'file.pdf'],
  ['folder/sub/file.zip', 'folder/sub/file.zip'],
  ['folder/', 'folder'],
  ['.hidden', '.hidden'],
  ['a..b.txt', 'a..b.txt'],
  ['100%.txt', '100%.txt'],
  ['100%25.txt', '100%25.txt'],
  ['Käse & Brot (final).pdf', 'Käse & Brot (final).pdf'],
  ['dir:with:colons/x', 'dir:with:colons/x'],
];

describe('confineRef', () => {
  it.each(hostile)('rejects %j (%s)', (ref) => {
    let caught: unknown;
    try {
      confineRef(ref);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StorageError);
    expect((caught as StorageError).reason).toBe('outside_root');
  });

  it.each(fine)('accepts %j as %j', (ref, clean) => {
    expect(confineRef(ref)).toBe(clean);
  });

  it('rejects non-strings passed from untyped callers', () => {
    expect(() => confineRef(undefined as unknown as string)).toThrow(StorageError);
  });

  it('joins child names under a folder ref', () => {
    expect(childRef('', 'a.txt')).toBe('a.txt');
    expect(childRef('x/y', 'a.txt')).toBe('x/y/a.txt');
  });
});
