import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, startProcess, type RunningProcess } from '../support/processes.js';

/**
 * What a newcomer does after cloning: `pnpm start` with no DATABASE_URL. The real start script
 * brings up the embedded PostgreSQL, migrates, seeds the demo, and runs api, worker and portal.
 */
describe('pnpm start on the embedded defaults', () => {
  let dataDir: string;
  let start: RunningProcess;
  let apiUrl: string;
  let portalUrl: string;
  let apiKey: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'handoff-start-'));
    await chmod(dataDir, 0o755);
    const [port, portalPort, pgPort] = await Promise.all([freePort(), freePort(), freePort()]);
    apiUrl = `http://127.0.0.1:${port}`;
    portalUrl = `http://127.0.0.1:${portalPort}`;
    start = startProcess(
      process.execPath,
      ['packages/api/dist/bin/start.js'],
      cleanEnv({
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        PORT: String(port),
        PORTAL_PORT: String(portalPort),
        EMBEDDED_PG_PORT: String(pgPort),
        PUBLIC_URL: apiUrl,
        PORTAL_URL: portalUrl,
        LOG_LEVEL: 'warn',
      }),
    );
    apiKey = (await start.waitFor(/Demo API key\s+(hk_[A-Za-z0-9_-]+)/, 120_000))[1]!;
  }, 180_000);

  afterAll(async () => {
    await start?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers the README query with the printed key', async () => {
    let body: {
      data?: { viewer: { name: string }; orders: { edges: { node: { number: string; status: string } }[] } };
    } = {};
    for (let attempt = 0; attempt < 50 && !body.data; attempt++) {
      const res = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: '{ viewer { name } orders(first: 5) { edges { node { number status } } } }' }),
      }).catch(() => null);
      if (res?.ok) body = (await res.json()) as typeof body;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(body.data?.viewer.name).toBe('Demo Digital Store');
    expect(body.data?.orders.edges).toHaveLength(5);
    expect(body.data?.orders.edges[0]?.node.status).toMatch(/^[A-Z_]+$/);
  });

  it('prints buyer portal links that open the demo order page', async () => {
    const url = (await start.waitFor(/Buyer portal\s+(\S+)/))[1]!;
    expect(url.startsWith(`${portalUrl}/p/`)).toBe(true);
    let page: Response | null = null;
    for (let attempt = 0; attempt < 50 && page?.status !== 200; attempt++) {
      page = await fetch(url).catch(() => null);
      if (page?.status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(page?.status).toBe(200);
    expect(await page!.text()).toContain('Demo Digital Store');
  });

  it('serves readiness and the portal', async () => {
    expect((await fetch(`${apiUrl}/readyz`)).status).toBe(200);
    let portal: Response | null = null;
    for (let attempt = 0; attempt < 50 && !portal?.ok; attempt++) {
      portal = await fetch(`${portalUrl}/healthz`).catch(() => null);
      if (!portal?.ok) await new Promise((r) => setTimeout(r, 200));
    }
    expect(portal?.status).toBe(200);
  });

  it('keeps its data under DATA_DIR and stops every process on SIGTERM', async () => {
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['pg', 'secret.key', 'demo-credentials.json']));
    expect(await start.stop()).toBe(0);
    await expect(fetch(`${apiUrl}/healthz`)).rejects.toThrow();
  });
});
