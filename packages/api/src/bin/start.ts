import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoStorageRoot } from '../demo/demo-files.js';
import { hasAnyMerchant, seedDemo, type DemoSeed } from '../demo/seed-demo.js';
import { loadConfig } from '../config.js';
import { embeddedRunning } from '../runtime/database.js';
import { startEmbeddedDbProcess } from '../runtime/embedded-db-process.js';
import { createRuntime, onShutdown } from '../runtime/runtime.js';
import { Keyring } from '../security/keyring.js';
import { resolveMasterSecret } from '../security/master-secret.js';
import { portalServiceToken } from '../portal/portal-auth.js';
import { runMain } from './run-main.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `pnpm start`: one command for everything. Resolves the database (embedded PostgreSQL when no
 * DATABASE_URL), migrates, seeds the demo on an empty database, then runs api, worker and portal as
 * separate processes, as production would, and stops them together.
 */
runMain(async () => {
  const config = loadConfig();
  let database: ChildProcess | null = null;
  if (!config.DATABASE_URL && !(await embeddedRunning(config))) {
    const db = await startEmbeddedDbProcess(process.env);
    database = db.child;
    process.env.DATABASE_URL = db.url;
  }
  const rt = await createRuntime('start', { migrate: true });
  const demo = await ensureDemo(rt, !config.DATABASE_URL);
  const secret = resolveMasterSecret(rt.config, rt.log);
  await rt.orm.close();

  const env = { ...process.env, DATABASE_URL: rt.database.url, HANDOFF_SECRET: secret };
  const children: ChildProcess[] = [
    spawnChild('api', here('./api.js'), env),
    spawnChild('worker', here('./worker.js'), env),
  ];
  const portalEntry = here('../../../portal/build/index.js');
  if (existsSync(portalEntry)) {
    children.push(
      spawnChild('portal', portalEntry, {
        ...env,
        PORT: String(rt.config.PORTAL_PORT),
        ORIGIN: rt.config.PORTAL_URL,
        HANDOFF_API_URL: `http://127.0.0.1:${rt.config.PORT}/graphql`,
        HANDOFF_PORTAL_TOKEN: portalServiceToken(rt.config, new Keyring(secret)),
      }),
    );
  } else {
    rt.log.warn({ portalEntry }, 'portal is not built: run `pnpm build` to serve it');
  }

  printWelcome(rt.config.PUBLIC_URL, rt.config.PORTAL_URL, demo);

  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(children.map(stopChild));
    if (database) await stopChild(database); // last: the others may still be finishing work
  };
  for (const child of children) {
    child.on('exit', (code) => {
      if (stopping) return;
      rt.log.error({ process: child.spawnargs[1], code }, 'a process exited; stopping the others');
      void stopAll().then(() => process.exit(1));
    });
  }
  onShutdown(rt.log, stopAll);
});

async function ensureDemo(rt: Awaited<ReturnType<typeof createRuntime>>, embedded: boolean): Promise<DemoSeed | null> {
  const file = join(rt.config.DATA_DIR, 'demo-credentials.json');
  if (await hasAnyMerchant(rt.orm.em.fork())) {
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as DemoSeed) : null;
  }
  const seed = await seedDemo(rt.orm.em.fork(), rt, demoStorageRoot(rt.config));
  // Only the local demo's key is kept on disk, so the welcome message can show it on every start.
  if (embedded) await writeFile(file, JSON.stringify(seed), { mode: 0o600 });
  return seed;
}

function spawnChild(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [entry], { env, stdio: 'inherit' });
  child.on('error', (error) => console.error(`[${name}] failed to start:`, error));
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function printWelcome(publicUrl: string, portalUrl: string, demo: DemoSeed | null): void {
  const lines = [
    '',
    'Handoff is running.',
    `  GraphQL API   ${publicUrl}/graphql`,
    `  Portal        ${portalUrl}`,
    ...(demo
      ? [
          `  Demo API key  ${demo.apiKey}`,
          ...(demo.portalUrls ?? []).map((url, i) => `${i === 0 ? '  Buyer portal  ' : '                '}${url}`),
          '',
          'Try it:',
          `  curl -s ${publicUrl}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${demo.apiKey}' \\`,
          `    -d '{"query":"{ viewer { name } orders(first: 5) { edges { node { number status } } } }"}'`,
        ]
      : ['  (create an API key with: pnpm handoff create-api-key --merchant <id>)']),
    '',
  ];
  console.log(lines.join('\n'));
}
