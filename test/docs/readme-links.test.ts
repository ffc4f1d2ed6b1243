import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes.js';

const readmes = [
  'README.md',
  'bench/README.md',
  ...readdirSync(join(repoRoot, 'packages'))
    .map((p) => `packages/${p}/README.md`)
    .filter((p) => existsSync(join(repoRoot, p))),
];

/** Link targets, and `code` spans that name a relative path (`../x`, `./x`) or a workspace folder. */
function pathsIn(text: string): string[] {
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  const code = [...text.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!)
    .filter((p) => /^\.\.?\//.test(p) || /^(\/(work|home|root|Users|srv)\/|~\/)/.test(p));
  return [...links, ...code].filter((p) => !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.startsWith('#')); // not URLs
}

/** A reader of the repository alone must be able to follow every pointer in its READMEs. */
describe('READMEs', () => {
  it.each(readmes)('%s points only at files inside the repository', (file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    for (const path of pathsIn(text)) {
      expect(path, `${file}: ${path} is an absolute path`).not.toMatch(/^(\/|~)/);
      const target = relative(repoRoot, resolve(dirname(join(repoRoot, file)), path));
      expect(target.startsWith('..'), `${file}: ${path} leaves the repository`).toBe(false);
    }
  });

  it('the bench README names no issue numbers or notes kept outside the repository', () => {
    const text = readFileSync(join(repoRoot, 'bench/README.md'), 'utf8');
    expect(text).not.toMatch(/\bissues?\b/i);
    expect(text).not.toMatch(/#\d/);
    expect(text).not.toMatch(/§/);
  });
});
