import { makeWooOrders } from '@handoff/connectors/channels/woocommerce/testing/fixtures';
import {
  startFakeWooCommerce,
  type FakeWooCommerce,
} from '@handoff/connectors/channels/woocommerce/testing/fake-woocommerce-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedOrders } from '../testing/order-factory.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { ChannelConnection } from './channel-connection.entity.js';
import { SYNC_QUEUE } from './sync.job.js';

const FIELDS = `id kind name settings hasCredentials webhookUrl schedule enabled health lastRun { status created }`;
const CREATE = `mutation($i: CreateChannelConnectionInput!) {
  createChannelConnection(input: $i) { connection { ${FIELDS} } userErrors { field message code } }
}`;
const UPDATE = `mutation($id: ID!, $i: UpdateChannelConnectionInput!) {
  updateChannelConnection(id: $id, input: $i) { connection { ${FIELDS} } userErrors { field message code } }
}`;
const TEST = `mutation($id: ID!) { testChannelConnection(id: $id) { ok message userErrors { code } } }`;
const SYNC = `mutation($id: ID!) { syncConnection(id: $id) { queued userErrors { code message } } }`;
const DELETE = `mutation($id: ID!) { deleteChannelConnection(id: $id) { deletedId userErrors { code message } } }`;
const GET = `query($id: ID!) { channelConnection(id: $id) { ${FIELDS} syncRuns(first: 10) { edges { node { status trigger startedAt } } } } }`;

interface Conn {
  id: string;
  name: string;
  settings: Record<string, string>;
  hasCredentials: boolean;
  webhookUrl: string | null;
  schedule: string;
  enabled: boolean;
  health: string;
  lastRun: { status: string; created: number } | null;
}
interface Payload {
  connection: Conn | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}

const SECRET_KEY = 'ck_live_super_secret_key_4711';
const SECRET = 'cs_live_super_secret_value_0815';

describe('channel connections over GraphQL', () => {
  let api: TestApi;
  let key: string;
  let merchantId: string;
  let woo: FakeWooCommerce;
  const em = () => api.orm.em.fork();
  const sql = <T>(query: string, params: unknown[] = []) => em().getConnection().execute<T[]>(query, params);
  const connectionCount = async () =>
    (
      await sql<{ n: number }>('select count(*)::int as n from channel_connection where merchant_id = ?', [merchantId])
    )[0]!.n;

  const create = async (input: Record<string, unknown>) =>
    (await api.gql<{ createChannelConnection: Payload }>(CREATE, { i: input }, key)).data!.createChannelConnection;
  const createWoo = async (name = 'Woo shop', credentials = { consumerKey: SECRET_KEY, consumerSecret: SECRET }) =>
    (await create({ kind: 'woocommerce', name, settings: { baseUrl: woo.url }, credentials })).connection!;

  beforeAll(async () => {
    api = await startTestApi(inject('database'), {
      env: { PUBLIC_URL: 'https://hub.example.com/' },
      connectorOverrides: { sleep: async () => {} },
    });
    ({ apiKey: key, merchantId } = await api.merchantWithKey('Connections shop'));
    woo = await startFakeWooCommerce({
      orders: makeWooOrders(12),
      consumerKey: SECRET_KEY,
      consumerSecret: SECRET,
    });
  });
  afterAll(async () => {
    await woo?.close();
    await api.close();
  });

  it('creates a connection: settings and webhook URL shown, credentials sealed at rest and never returned', async () => {
    const res = await api.gql<{ createChannelConnection: Payload }>(
      CREATE,
      {
        i: {
          kind: 'woocommerce',
          name: ' My Woo ',
          settings: { baseUrl: woo.url },
          credentials: { consumerKey: SECRET_KEY, consumerSecret: SECRET },
        },
      },
      key,
    );
    const { connection, userErrors } = res.data!.createChannelConnection;
    expect(userErrors).toEqual([]);
    expect(connection).toMatchObject({
      kind: 'woocommerce',
      name: 'My Woo',
      settings: { baseUrl: woo.url },
      hasCredentials: true,
      webhookUrl: `https://hub.example.com/webhooks/${connection!.id}`,
      schedule: '*/5 * * * *',
      enabled: true,
      health: 'NEVER_SYNCED',
      lastRun: null,
    });
    expect(JSON.stringify(res)).not.toContain(SECRET);
    expect(JSON.stringify(res)).not.toContain(SECRET_KEY);

    const [row] = await sql<Record<string, unknown>>('select * from channel_connection where id = ?', [connection!.id]);
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(SECRET_KEY);
    expect(row!.credentials_encrypted).toBeTruthy();
    const stored = await em().findOneOrFail(ChannelConnection, connection!.id, { populate: ['credentialsEncrypted'] });
    expect(api.services.connectors.readCredentials(stored)).toEqual({
      consumerKey: SECRET_KEY,
      consumerSecret: SECRET,
    });

    // Introspection: no field of the type can carry them.
    const type = await api.gql<{ __type: { fields: { name: string }[] } }>(
      '{ __type(name: "ChannelConnection") { fields { name } } }',
      {},
      key,
    );
    expect(type.data!.__type.fields.map((f) => f.name).filter((n) => /credential|cursor/i.test(n))).toEqual([
      'hasCredentials',
    ]);
  });

  it('a generic connection has no webhook URL, no credentials, and is healthy without syncs', async () => {
    const { connection } = await create({ kind: 'generic', name: 'ERP push' });
    expect(connection).toMatchObject({ webhookUrl: null, hasCredentials: false, health: 'OK', settings: {} });
  });

  it('update keeps credentials unless given, replaces them when given, and keeps the cursor', async () => {
    const conn = await createWoo('To update');
    await em().nativeUpdate(ChannelConnection, { id: conn.id }, { cursor: 'resume-here' });
    const renamed = (await api.gql<{ updateChannelConnection: Payload }>(
      UPDATE,
      { id: conn.id, i: { name: 'Renamed', schedule: '0 * * * *', enabled: false, settings: null } },
      key,
    ))!.data!.updateChannelConnection;
    expect(renamed.userErrors).toEqual([]);
    expect(renamed.connection).toMatchObject({
      name: 'Renamed',
      schedule: '0 * * * *',
      enabled: false,
      health: 'DISABLED',
      hasCredentials: true,
      settings: { baseUrl: woo.url },
    });
    const read = async () =>
      api.services.connectors.readCredentials(
        await em().findOneOrFail(ChannelConnection, conn.id, { populate: ['credentialsEncrypted'] }),
      );
    expect(await read()).toEqual({ consumerKey: SECRET_KEY, consumerSecret: SECRET });

    const replaced = await api.gql<{ updateChannelConnection: Payload }>(
      UPDATE,
      { id: conn.id, i: { credentials: { consumerKey: 'ck_new_value', consumerSecret: 'cs_new_value' } } },
      key,
    );
    expect(JSON.stringify(replaced)).not.toContain('cs_new_value');
    expect(await read()).toEqual({ consumerKey: 'ck_new_value', consumerSecret: 'cs_new_value' });
    expect((await em().findOneOrFail(ChannelConnection, conn.id)).cursor).toBe('resume-here');
  });

  it.each([
    ['unknown kind', { kind: 'myspace', name: 'x' }, 'kind'],
    ['bad cron', { kind: 'shopify', name: 'x', schedule: 'every minute' }, 'schedule'],
    ['too many cron fields', { kind: 'shopify', name: 'x', schedule: '* * * * * * *' }, 'schedule'],
    ['cron with seconds', { kind: 'shopify', name: 'x', schedule: '*/1 * * * * *' }, 'schedule'],
    ['empty name', { kind: 'shopify', name: '   ' }, 'name'],
    ['settings not strings', { kind: 'shopify', name: 'x', settings: { pageSize: 50 } }, 'settings.pageSize'],
    ['credentials not an object', { kind: 'shopify', name: 'x', credentials: ['token'] }, 'credentials'],
  ])('rejects %s with BAD_USER_INPUT and writes nothing', async (_label, input, field) => {
    const before = await connectionCount();
    const { connection, userErrors } = await create(input);
    expect(connection).toBeNull();
    expect(userErrors).toHaveLength(1);
    expect(userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: field.split('.') });
    expect(await connectionCount()).toBe(before);
  });

  it('a bad cron on update is rejected and changes nothing', async () => {
    const conn = await createWoo('Cron');
    const res = await api.gql<{ updateChannelConnection: Payload }>(
      UPDATE,
      { id: conn.id, i: { schedule: '61 * * * *' } },
      key,
    );
    expect(res.data!.updateChannelConnection.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['schedule'],
    });
    expect((await em().findOneOrFail(ChannelConnection, conn.id)).schedule).toBe('*/5 * * * *');
  });

  it('malformed and unknown ids are NOT_FOUND (mutations) or null (query), never a database error', async () => {
    for (const id of ['nope', "1' or 1=1", '00000000-0000-0000-0000-000000000000']) {
      const get = await api.gql<{ channelConnection: unknown }>(GET, { id }, key);
      expect(get.errors).toBeUndefined();
      expect(get.data!.channelConnection).toBeNull();
      for (const [m, field] of [
        [UPDATE, 'updateChannelConnection'],
        [TEST, 'testChannelConnection'],
        [SYNC, 'syncConnection'],
        [DELETE, 'deleteChannelConnection'],
      ] as const) {
        const res = await api.gql<Record<string, { userErrors: { code: string }[] }>>(
          m,
          { id, ...(m === UPDATE && { i: { name: 'x' } }) },
          key,
        );
        expect(res.errors, `${field} ${id}`).toBeUndefined();
        expect(res.data![field]!.userErrors[0]?.code).toBe('NOT_FOUND');
      }
    }
  });

  it('testChannelConnection: ok with good credentials, ok:false without leaking bad ones', async () => {
    const good = await createWoo('Good');
    const ok = await api.gql<{ testChannelConnection: { ok: boolean; message: string } }>(TEST, { id: good.id }, key);
    expect(ok.data!.testChannelConnection).toMatchObject({ ok: true, message: 'Connected' });

    const badSecret = 'cs_wrong_secret_do_not_echo';
    const bad = await createWoo('Bad', { consumerKey: 'ck_wrong_key_do_not_echo', consumerSecret: badSecret });
    const res = await api.gql<{ testChannelConnection: { ok: boolean; message: string } }>(TEST, { id: bad.id }, key);
    expect(res.data!.testChannelConnection.ok).toBe(false);
    expect(res.data!.testChannelConnection.message).toMatch(/401/);
    expect(JSON.stringify(res)).not.toMatch(/do_not_echo/);
  });

  it('syncConnection queues one job per connection (stately); generic and disabled ones cannot sync', async () => {
    const conn = await createWoo('Sync me');
    const first = await api.gql<{ syncConnection: { queued: boolean; userErrors: unknown[] } }>(
      SYNC,
      { id: conn.id },
      key,
    );
    expect(first.data!.syncConnection).toEqual({ queued: true, userErrors: [] });
    const second = await api.gql<{ syncConnection: { queued: boolean; userErrors: unknown[] } }>(
      SYNC,
      { id: conn.id },
      key,
    );
    expect(second.data!.syncConnection).toEqual({ queued: false, userErrors: [] });
    const jobs = await sql<{ data: { connectionId: string; trigger: string } }>(
      'select data from pgboss.job where name = ? and singleton_key = ?',
      [SYNC_QUEUE, conn.id],
    );
    expect(jobs.map((j) => j.data)).toEqual([{ connectionId: conn.id, trigger: 'manual' }]);

    const generic = (await create({ kind: 'generic', name: 'Push only' })).connection!;
    const g = await api.gql<{ syncConnection: { queued: boolean; userErrors: { code: string }[] } }>(
      SYNC,
      { id: generic.id },
      key,
    );
    expect(g.data!.syncConnection.queued).toBe(false);
    expect(g.data!.syncConnection.userErrors[0]!.code).toBe('BAD_USER_INPUT');

    const off = (await create({ kind: 'woocommerce', name: 'Off', settings: { baseUrl: woo.url }, enabled: false }))
      .connection!;
    const o = await api.gql<{ syncConnection: { userErrors: { code: string }[] } }>(SYNC, { id: off.id }, key);
    expect(o.data!.syncConnection.userErrors[0]!.code).toBe('BAD_USER_INPUT');
    const offJobs = await sql('select 1 from pgboss.job where singleton_key in (?, ?)', [generic.id, off.id]);
    expect(offJobs).toHaveLength(0);
  });

  it('health and lastRun follow the sync runs; syncRuns lists them newest first', async () => {
    const conn = await createWoo('Health');
    const health = async () =>
      (await api.gql<{ channelConnection: Conn & { syncRuns: { edges: { node: { status: string } }[] } } }>(
        GET,
        { id: conn.id },
        key,
      ))!.data!.channelConnection;

    expect((await health()).health).toBe('NEVER_SYNCED');
    expect((await api.services.sync.run(em(), conn.id, 'manual'))?.status).toBe('succeeded');
    let now = await health();
    expect(now.health).toBe('OK');
    expect(now.lastRun).toEqual({ status: 'succeeded', created: 12 });

    await api.gql(UPDATE, { id: conn.id, i: { credentials: { consumerKey: 'ck_x', consumerSecret: 'cs_x' } } }, key);
    expect((await api.services.sync.run(em(), conn.id, 'manual'))?.status).toBe('failed');
    now = await health();
    expect(now.health).toBe('FAILING');
    expect(now.lastRun?.status).toBe('failed');
    expect(now.syncRuns.edges.map((e) => e.node.status)).toEqual(['failed', 'succeeded']);

    await api.gql(UPDATE, { id: conn.id, i: { enabled: false } }, key);
    expect((await health()).health).toBe('DISABLED');
  });

  it('deletes a connection without orders; one with orders is a CONFLICT and stays', async () => {
    const conn = await createWoo('Delete me');
    const res = await api.gql<{ deleteChannelConnection: { deletedId: string } }>(DELETE, { id: conn.id }, key);
    expect(res.data!.deleteChannelConnection.deletedId).toBe(conn.id);
    expect(await em().findOne(ChannelConnection, conn.id)).toBeNull();

    const seeded = await seedOrders(em(), merchantId, 1);
    const kept = await api.gql<{
      deleteChannelConnection: { deletedId: string | null; userErrors: { code: string }[] };
    }>(DELETE, { id: seeded.connectionId }, key);
    expect(kept.data!.deleteChannelConnection).toMatchObject({ deletedId: null, userErrors: [{ code: 'CONFLICT' }] });
    expect(await em().findOne(ChannelConnection, seeded.connectionId)).not.toBeNull();
  });

  it('scopes: channels:read lists but cannot write; orders-only keys see no connection fields', async () => {
    const reader = await api.merchantWithKey('Reader', ['channels:read']);
    const res = await api.gql(CREATE, { i: { kind: 'generic', name: 'x' } }, reader.apiKey);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await api.gql('{ channelConnections(first: 5) { edges { node { id } } } }', {}, reader.apiKey);
    expect(list.errors).toBeUndefined();
    const ordersOnly = await api.merchantWithKey('Orders only', ['orders:read']);
    const denied = await api.gql('{ channelConnections(first: 5) { edges { node { id } } } }', {}, ordersOnly.apiKey);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('the connections list costs a constant number of statements, with lastRun, health and credentials flags', async () => {
    const m = await api.merchantWithKey('Many connections');
    const make = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const c = (
          await api.gql<{ createChannelConnection: Payload }>(
            CREATE,
            {
              i: {
                kind: 'woocommerce',
                name: `W${i}`,
                settings: { baseUrl: woo.url },
                credentials: { consumerKey: SECRET_KEY, consumerSecret: SECRET },
              },
            },
            m.apiKey,
          )
        ).data!.createChannelConnection.connection!;
        await api.services.sync.run(em(), c.id, 'manual');
      }
    };
    const q = `query($first: Int!) { channelConnections(first: $first) { edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
    const count = async (first: number) => {
      await api.gql('{ viewer { name } }', {}, m.apiKey);
      api.queries.length = 0;
      const res = await api.gql<{ channelConnections: { edges: { node: Conn }[] } }>(q, { first }, m.apiKey);
      expect(res.errors).toBeUndefined();
      expect(res.data!.channelConnections.edges).toHaveLength(first);
      expect(res.data!.channelConnections.edges.every((e) => e.node.health === 'OK' && e.node.lastRun)).toBe(true);
      return api.queries.length;
    };
    await make(8);
    const two = await count(2);
    const eight = await count(8);
    expect(eight).toBe(two);
    // auth + page + latest runs + credentials flags
    expect(two).toBeLessThanOrEqual(5);

    const page1 = await api.gql<{ channelConnections: { edges: { node: Conn }[]; pageInfo: { endCursor: string } } }>(
      q,
      { first: 5 },
      m.apiKey,
    );
    const page2 = await api.gql<{ channelConnections: { edges: { node: Conn }[] } }>(
      `query($after: String) { channelConnections(first: 5, after: $after) { edges { node { name } } } }`,
      { after: page1.data!.channelConnections.pageInfo.endCursor },
      m.apiKey,
    );
    const names = [...page1.data!.channelConnections.edges, ...page2.data!.channelConnections.edges].map(
      (e) => e.node.name,
    );
    expect(new Set(names).size).toBe(8);
  });
});
