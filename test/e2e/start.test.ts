import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, descendants, type ProcessInfo } from '../support/process-tree.js';
import { cleanEnv, freePort, repoRoot, startProcess, type RunningProcess } from '../support/processes.js';

const run = promisify(execFile);
const README_QUERY = '{ viewer { name } orders(first: 5) { edges { node { number status } } } }';

/**
 * What a newcomer does after cloning: `pnpm start` with no DATABASE_URL, through pnpm as the README
 * says. It brings up the embedded PostgreSQL (in a `mktemp -d`-like folder only root may enter),
 * migrates, seeds the demo, runs api, worker and portal; and stops all of them however it is stopped.
 */
describe('pnpm start on the embedded defaults', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let apiUrl: string;
  let portalUrl: string;
  let start: RunningProcess;
  let banner: RegExpMatchArray;

  const pnpmStart = async () => {
    start = startProcess('pnpm', ['start'], env);
    banner = await start.waitFor(/Handoff is running\.[\s\S]*Demo API key\s+(hk_[A-Za-z0-9_-]+)/, 300_000);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'handoff-start-'));
    const [port, portalPort, pgPort] = await Promise.all([freePort(), freePort(), freePort()]);
    apiUrl = `http://127.0.0.1:${port}`;
    portalUrl = `http://127.0.0.1:${portalPort}`;
    env = cleanEnv({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(port),
      PORTAL_PORT: String(portalPort),
      EMBEDDED_PG_PORT: String(pgPort),
      PUBLIC_URL: apiUrl,
      PORTAL_URL: portalUrl,
      LOG_LEVEL: 'warn',
    });
    await pnpmStart();
  }, 360_000);

  afterAll(async () => {
    await start?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says it is running only once the API and the portal answer', async () => {
    // No retries: the banner used to come ~2.6 s before anything listened.
    expect((await fetch(`${apiUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${portalUrl}/healthz`)).status).toBe(200);
  });

  it("answers the README's query with the printed key", async () => {
    const res = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${banner[1]}` },
      body: JSON.stringify({ query: README_QUERY }),
    });
    const body = (await res.json()) as {
      data?: { viewer: { name: string }; orders: { edges: { node: { number: string; status: string } }[] } };
    };
    expect(body.data?.viewer.name).toBe('Demo Digital Store');
    expect(body.data?.orders.edges).toHaveLength(5);
    expect(body.data?.orders.edges[0]?.node.status).toMatch(/^[A-Z_]+$/);
  });

  it('prints buyer portal links, labelled with order and language, that open the demo order page', async () => {
    const links = [...start.output().matchAll(/order (#\d+) \(([\w-]+)\)\s+(http\S+)/g)];
    expect(links.map((l) => l[2]).sort()).toEqual(['cs', 'de', 'en', 'zh-CN']);
    const url = links[0]![3]!;
    expect(url.startsWith(`${portalUrl}/p/`)).toBe(true);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Demo Digital Store');
  });

  it('keeps its data under DATA_DIR', async () => {
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['pg', 'secret.key', 'demo-credentials.json']));
    expect(start.output()).toContain(`.eml files to ${join(dataDir, 'outbox')}`);
  });

  it('refuses a second start on the same ports, naming the port and its setting', async () => {
    const second = await run(process.execPath, ['packages/api/dist/bin/start.js'], { cwd: repoRoot, env }).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      }),
    );
    expect(second.code).toBe(1);
    expect(second.output).toContain(`Port ${env.PORT} is already in use`);
    expect(second.output).toMatch(/set PORT to another port/);
    expect(second.output).not.toContain('Handoff is running');
    expect(second.output).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  // Each case stops a running `pnpm start` one way; the next case starts it again on the same data.
  it.each([
    ['SIGTERM to pnpm', 'pnpm', 'SIGTERM'],
    ['SIGINT to pnpm (Ctrl-C)', 'pnpm', 'SIGINT'],
    ['SIGHUP to pnpm (terminal closed)', 'pnpm', 'SIGHUP'],
    ['SIGKILL to the start process (a crash)', 'start', 'SIGKILL'],
  ] as const)(
    '%s stops api, worker, portal and PostgreSQL',
    async (_label, target, signal) => {
      if (start.child.exitCode !== null || start.child.signalCode !== null) await pnpmStart();
      const tree = descendants(start.child.pid!);
      const roles = roleMap(tree);
      expect(Object.keys(roles).sort()).toEqual(['api', 'embedded-db', 'portal', 'postgres', 'start', 'worker']);

      process.kill(target === 'pnpm' ? start.child.pid! : roles.start!, signal);
      const deadline = Date.now() + 60_000;
      while (tree.some((p) => alive(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

      expect(tree.filter((p) => alive(p.pid)).map((p) => p.command)).toEqual([]);
      await expect(fetch(`${apiUrl}/healthz`)).rejects.toThrow();
      expect(start.output()).not.toMatch(/job queue error|terminating connection/);
      await start.stop(5_000); // pnpm itself, should it still be around
    },
    420_000,
  );
});

/** The pid of each part of a running `pnpm start`, told apart by their command lines. */
function roleMap(tree: ProcessInfo[]): Record<string, number> {
  const roles: Record<string, RegExp> = {
    start: /scripts\/start\.mjs/,
    api: /dist\/bin\/api\.js/,
    worker: /dist\/bin\/worker\.js/,
    portal: /portal\/build\/index\.js/,
    'embedded-db': /dist\/bin\/embedded-db\.js/,
    postgres: /\/bin\/postgres -D /,
  };
  const found: Record<string, number> = {};
  for (const [role, pattern] of Object.entries(roles)) {
    const match = tree.find((p) => pattern.test(p.command));
    if (match) found[role] = match.pid;
  }
  return found;
}
