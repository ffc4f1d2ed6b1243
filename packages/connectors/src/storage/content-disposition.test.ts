import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './content-disposition.js';

describe('attachmentDisposition', () => {
  it('keeps plain names readable', () => {
    expect(attachmentDisposition('novel.pdf')).toBe(`attachment; filename="novel.pdf"; filename*=UTF-8''novel.pdf`);
  });

  it('encodes non-ASCII names and gives an ASCII fallback', () => {
    expect(attachmentDisposition('Käse (1).pdf')).toBe(
      `attachment; filename="Kase (1).pdf"; filename*=UTF-8''K%C3%A4se%20%281%29.pdf`,
    );
  });

  it('cannot be broken out of with quotes, slashes or newlines', () => {
    const header = attachmentDisposition('a"; filename=evil.exe\r\n/../x.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.split('"').length).toBe(3);
    expect(header).toContain(`filename*=UTF-8''a%3B%20filename%3Devil.exe..x.pdf`);
  });

  it('replaces characters with no ASCII form in the fallback', () => {
    expect(attachmentDisposition('日本.pdf')).toMatch(
      /^attachment; filename="__\.pdf"; filename\*=UTF-8''%E6%97%A5%E6%9C%AC\.pdf$/,
    );
  });

  it('never yields an empty name', () => {
    expect(attachmentDisposition('"\\')).toContain(`filename*=UTF-8''download`);
  });
});
