import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensurePortalBuilt, startBuiltPortal, type RunningPortal } from '../portal/built-portal.js';
import { cleanEnv, freePort, repoRoot, startProcess, type RunningProcess } from './processes.js';

const run = promisify(execFile);

export interface StackOptions {
  databaseUrl: string;
  secret: string;
  portalToken: string;
  smtpPort: number;
  storageRoots: string;
  /** More variables for the API and the worker (e.g. DOWNLOAD_SUSPEND_THRESHOLD). */
  env?: Record<string, string>;
}

export interface HandoffStack {
  apiUrl: string;
  portal: RunningPortal;
  api: RunningProcess;
  worker: RunningProcess;
  /** `pnpm handoff <args> --json` against the stack's database. */
  cli<T>(...args: string[]): Promise<T>;
  /** A merchant's GraphQL call with an API key; throws on GraphQL errors. */
  gql<T>(apiKey: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The running stack as a buyer meets it: the built `api` and `worker` processes on one database and
 * the built portal, all on 127.0.0.1. The portal starts first (it needs no API to be healthy) so the
 * API can put the portal's real address into the links it mails.
 */
export async function startHandoffStack(options: StackOptions): Promise<HandoffStack> {
  await ensurePortalBuilt();
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const portal = await startBuiltPortal({
    HANDOFF_API_URL: `${apiUrl}/graphql`,
    HANDOFF_PORTAL_TOKEN: options.portalToken,
  });
  const env = cleanEnv({
    DATABASE_URL: options.databaseUrl,
    HANDOFF_SECRET: options.secret,
    PORTAL_TOKEN: options.portalToken,
    PORT: String(apiPort),
    PUBLIC_URL: apiUrl,
    PORTAL_URL: portal.url,
    SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
    HANDOFF_STORAGE_ROOTS: options.storageRoots,
    JOB_MAINTENANCE_INTERVAL_SECONDS: '1',
    NOTIFY_RETRY_DELAY_SECONDS: '1',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const api = startProcess(process.execPath, ['packages/api/dist/bin/api.js'], env);
  const worker = startProcess(process.execPath, ['packages/api/dist/bin/worker.js'], env);
  const stop = async () => {
    await Promise.all([api.stop(10_000), worker.stop(10_000), portal.stop()]);
  };
  try {
    await waitForHttp(`${apiUrl}/healthz`, api);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    apiUrl,
    portal,
    api,
    worker,
    async cli<T>(...args: string[]) {
      const { stdout } = await run(process.execPath, ['packages/api/dist/bin/cli.js', ...args, '--json'], {
        cwd: repoRoot,
        env,
      });
      return JSON.parse(stdout) as T;
    },
    async gql<T>(apiKey: string, query: string, variables: Record<string, unknown> = {}) {
      const response = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'apollo-require-preflight': 'true',
          authorization: `Bearer ${apiKey}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
      return body.data!;
    },
    stop,
  };
}

async function waitForHttp(url: string, process: RunningProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) throw new Error(`exited with ${process.child.exitCode}:\n${process.output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${process.output()}`);
}
