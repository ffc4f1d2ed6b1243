import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoStorageRoot } from '../demo/demo-files.js';
import { hasAnyMerchant, seedDemo, type DemoSeed } from '../demo/seed-demo.js';
import { loadConfig, type Config } from '../config.js';
import { embeddedRunning } from '../runtime/database.js';
import { ChildProcesses, stopChild } from '../runtime/child-processes.js';
import { startEmbeddedDbProcess, type EmbeddedDbProcess } from '../runtime/embedded-db-process.js';
import { interactiveLogLevel } from '../runtime/interactive-logs.js';
import { watchParent } from '../runtime/parent-watch.js';
import { assertPortsFree } from '../runtime/ports.js';
import { ensurePortalBuild } from '../runtime/portal-build.js';
import { createRuntime } from '../runtime/runtime.js';
import { waitUntilReady } from '../runtime/wait-ready.js';
import { Keyring } from '../security/keyring.js';
import { resolveMasterSecret } from '../security/master-secret.js';
import { portalServiceToken } from '../portal/portal-auth.js';
import { runMain } from './run-main.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `pnpm start`: one command for everything. Validates the configuration and the ports, builds the
 * portal if its sources changed, resolves the database (embedded PostgreSQL when no DATABASE_URL),
 * migrates, seeds the demo on an empty development database, then runs api, worker and portal as
 * separate processes, as production would; says "running" once they answer, and stops them together
 * (processes first, the database last) on SIGTERM, SIGINT, SIGHUP or when its own parent dies.
 */
runMain(async () => {
  const config = loadConfig();
  const quiet = !process.env.LOG_LEVEL && interactiveLogLevel(process.env, Boolean(process.stdout.isTTY));
  if (quiet) process.env.LOG_LEVEL = quiet; // this process and its children
  const embedded = !config.DATABASE_URL;
  const reuseDatabase = embedded && (await embeddedRunning(config));
  await assertPortsFree([
    { setting: 'PORT', port: config.PORT },
    { setting: 'PORTAL_PORT', port: config.PORTAL_PORT },
    ...(embedded && !reuseDatabase ? [{ setting: 'EMBEDDED_PG_PORT', port: config.EMBEDDED_PG_PORT }] : []),
  ]);
  const portalEntry = await ensurePortalBuild(() => console.log('Building the portal (its sources changed)…'));

  let database: EmbeddedDbProcess | null = null;
  let stopped: Promise<void> | undefined;
  const children = new ChildProcesses((name, code) => {
    console.error(`The ${name} process exited (${code}); stopping the others.`);
    shutdown(1);
  });
  const stopAll = async () => {
    await children.stopAll();
    if (database) await stopChild(database.child); // last: the others may still be finishing work
  };
  const shutdown = (exitCode: number) => {
    stopped ??= stopAll().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        console.error('unclean shutdown:', error);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => shutdown(0));
  // `pnpm start` runs us as pnpm's child: if pnpm dies without passing the signal on, stop too.
  watchParent(() => shutdown(0));

  if (embedded && !reuseDatabase) {
    database = await startEmbeddedDbProcess(process.env);
    process.env.DATABASE_URL = database.url;
  }
  const rt = await createRuntime('start', { migrate: true });
  // Production never gets demo data (nor, without DATABASE_URL, this far: see loadConfig).
  const demo = rt.config.NODE_ENV === 'production' ? null : await ensureDemo(rt, embedded);
  const secret = resolveMasterSecret(rt.config, rt.log);
  // This process's queue and ORM connections close now: none stays open while the database stops.
  await rt.close();

  const env = { ...process.env, DATABASE_URL: rt.database.url, HANDOFF_SECRET: secret };
  children.start('api', here('./api.js'), env);
  children.start('worker', here('./worker.js'), env);
  const ready = [`http://127.0.0.1:${rt.config.PORT}/readyz`];
  if (portalEntry) {
    children.start('portal', portalEntry, {
      ...env,
      PORT: String(rt.config.PORTAL_PORT),
      ORIGIN: rt.config.PORTAL_URL,
      HANDOFF_API_URL: `http://127.0.0.1:${rt.config.PORT}/graphql`,
      HANDOFF_PORTAL_TOKEN: portalServiceToken(rt.config, new Keyring(secret)),
    });
    ready.push(`http://127.0.0.1:${rt.config.PORTAL_PORT}/healthz`);
  }
  await waitUntilReady(ready, () => children.running() && !stopped);
  printWelcome(rt.config, demo, Boolean(quiet));
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

function printWelcome(config: Config, demo: DemoSeed | null, quiet: boolean): void {
  const publicUrl = config.PUBLIC_URL;
  const links =
    demo?.portalLinks?.map((l) => `${`order ${l.order} (${l.language})`.padEnd(20)} ${l.url}`) ??
    demo?.portalUrls ??
    [];
  const lines = [
    '',
    'Handoff is running.',
    `  GraphQL API   ${publicUrl}/graphql`,
    `  Portal        ${config.PORTAL_URL}`,
    ...(config.SMTP_URL ? [] : [`  Emails        written as .eml files to ${resolve(config.DATA_DIR, 'outbox')}`]),
    ...(demo
      ? [
          `  Demo API key  ${demo.apiKey}`,
          ...links.map((link, i) => `${i === 0 ? '  Buyer portal  ' : '                '}${link}`),
          '',
          'Try it:',
          `  curl -s ${publicUrl}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${demo.apiKey}' \\`,
          `    -d '{"query":"{ viewer { name } orders(first: 5) { edges { node { number status } } } }"}'`,
        ]
      : ['  (create an API key with: pnpm handoff create-api-key --merchant <id>)']),
    ...(quiet ? ['', 'Logs show warnings and errors only; LOG_LEVEL=info pnpm start shows every request.'] : []),
    '',
  ];
  console.log(lines.join('\n'));
}
