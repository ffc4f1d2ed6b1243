import { describe, expect, it } from 'vitest';
import {
  findUnstorableText,
  formatPath,
  isStorableInt,
  storableDeep,
  storableText,
  unstorablePosition,
  unstorableText,
} from './text-safety.js';

describe('text PostgreSQL cannot store', () => {
  it.each([
    ['plain', 'Grüße 你好', null],
    ['an emoji (a surrogate pair)', 'ok \uD83D\uDE00', null],
    ['a NUL', 'a\u0000b', 'NUL'],
    ['a lone high surrogate', 'a\uD800b', 'surrogate'],
    ['a lone low surrogate', '\uDC00', 'surrogate'],
    ['a pair the wrong way round', '\uDE00\uD83D', 'surrogate'],
  ])('%s', (_name, text, problem) => {
    const reason = unstorableText(text);
    if (problem === null) expect(reason).toBeNull();
    else expect(reason).toContain(problem);
    expect(unstorableText(storableText(text))).toBeNull();
  });

  it('cleans NULs away and replaces lone surrogates, keeping pairs', () => {
    expect(storableText('Ma\u0000ria \uD800 \uD83D\uDE00')).toBe('Maria \uFFFD \uD83D\uDE00');
  });

  it('finds the first bad string or key with its path, and cleans deep values keeping dates', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const value = { a: [{ b: 'ok' }, { c: 'x\u0000' }], at };
    expect(findUnstorableText(value)).toMatchObject({ path: ['a', 1, 'c'], text: 'x\u0000' });
    expect(findUnstorableText({ ['k\uD800']: 1 })).toMatchObject({ reason: expect.stringContaining('key') });
    expect(storableDeep(value)).toEqual({ a: [{ b: 'ok' }, { c: 'x' }], at });
    expect(formatPath(['o', 0, 'buyer', 'name'])).toBe('o[0].buyer.name');
  });

  it('walks values nested deeper than the call stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnstorableText(deep)?.reason).toContain('NUL');
  });

  it('names the line and column of the first bad character', () => {
    expect(unstorablePosition('a,b\nc,d\u0000')).toEqual({ line: 2, column: 4 });
    expect(unstorablePosition('fine')).toBeNull();
  });

  it('integer columns hold ±2^31', () => {
    expect(isStorableInt(2_147_483_647)).toBe(true);
    expect(isStorableInt(-2_147_483_648)).toBe(true);
    expect(isStorableInt(2_147_483_648)).toBe(false);
    expect(isStorableInt(1.5)).toBe(false);
    expect(isStorableInt(Number.NaN)).toBe(false);
  });
});
