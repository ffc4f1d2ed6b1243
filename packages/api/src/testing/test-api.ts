import type { AddressInfo } from 'node:net';
import { MERCHANT_SCOPES, type Scope } from '@handoff/shared';
import { systemClock, type Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { openOrm, type Orm } from '../db/orm.js';
import type { ConnectorOverrides } from '../channels/connector-factory.js';
import { createHttpApp } from '../http/app.js';
import { JobQueue } from '../jobs/queue.js';
import { QUEUES } from '../jobs/queues.js';
import type { DestinationStream } from 'pino';
import { createLogger } from '../logger.js';
import { Keyring } from '../security/keyring.js';
import { createServices, type Services } from '../services.js';
import { createTestDatabase, type TestDatabaseInfo } from './test-database.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string }; path?: (string | number)[] }[];
}

export interface TestApi {
  url: string;
  orm: Orm;
  services: Services;
  keyring: Keyring;
  databaseUrl: string;
  /** Every SQL statement the API ran, for query counting. */
  queries: string[];
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    apiKey?: string,
  ): Promise<GraphQLResponse<T>>;
  /** A new merchant and a key with the given scopes (all merchant scopes by default). */
  merchantWithKey(name?: string, scopes?: Scope[]): Promise<{ merchantId: string; apiKey: string }>;
  close(): Promise<void>;
}

/** The real API process's HTTP app on a fresh database and a random port. */
export async function startTestApi(
  db: TestDatabaseInfo,
  options: {
    clock?: Clock;
    env?: NodeJS.ProcessEnv;
    connectorOverrides?: ConnectorOverrides;
    /** Receives the API's log lines (at LOG_LEVEL from `env`, else silent), for tests that read them. */
    logTo?: DestinationStream;
  } = {},
): Promise<TestApi> {
  const database = await createTestDatabase(db);
  const queries: string[] = [];
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HANDOFF_SECRET: 'test-secret-test-secret-test-secret!',
    DATABASE_URL: database.url,
    // The fakes listen on http://127.0.0.1; tests of the guard itself pass '0'.
    HANDOFF_ALLOW_PRIVATE_HOSTS: '1',
    ...options.env,
  });
  const orm = await openOrm(database.url, { onQuery: (sql) => queries.push(sql) });
  const clock = options.clock ?? systemClock;
  const keyring = new Keyring(config.HANDOFF_SECRET!);
  const log = options.logTo
    ? createLogger(config.LOG_LEVEL, 'test-api', options.logTo)
    : createLogger('silent', 'test-api');
  const queue = await JobQueue.connect(database.url, log, QUEUES, {
    supervise: false,
    leaseSeconds: config.WORKER_LEASE_SECONDS,
  });
  const services = createServices({
    clock,
    keyring,
    queue,
    log,
    config,
    connectorOverrides: options.connectorOverrides,
  });
  const { server, apollo } = await createHttpApp({ orm, services, clock }, config, log);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    orm,
    services,
    keyring,
    queries,
    async gql(query, variables, apiKey) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey && { authorization: `Bearer ${apiKey}` }) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as object) };
    },
    async merchantWithKey(name = 'Test merchant', scopes = MERCHANT_SCOPES) {
      const em = orm.em.fork();
      const merchant = await services.merchants.create(em, { name, contactEmail: 'shop@example.com' });
      const { secret } = await services.apiKeys.create(em, merchant.id, 'test', scopes);
      return { merchantId: merchant.id, apiKey: secret };
    },
    databaseUrl: database.url,
    async close() {
      await apollo.stop();
      await queue.stop(2000);
      await services.templateRenderer.close();
      await orm.close();
      await database.drop();
    },
  };
}
