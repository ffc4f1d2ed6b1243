import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from '../../testing/test-api.js';

const IMPORT = `mutation($c: ID!, $o: [GenericOrderInput!]!) {
  importOrders(connectionId: $c, orders: $o) {
    created updated unchanged stale lineErrors { line message } userErrors { field message code }
  }
}`;
const IMPORT_CSV = `mutation($c: ID!, $csv: String!) {
  importOrdersCsv(connectionId: $c, csv: $csv) {
    created updated unchanged stale lineErrors { line message } userErrors { field message code }
  }
}`;
const CREATE = `mutation($i: CreateChannelConnectionInput!) { createChannelConnection(input: $i) { connection { id } } }`;

interface ImportPayload {
  created: number;
  updated: number;
  unchanged: number;
  stale: number;
  lineErrors: { line: number; message: string }[];
  userErrors: { field: string[] | null; message: string; code: string }[];
}

const HEADER = 'external_id,status,buyer_email,currency,sku,title,quantity,unit_price,created_at';

const order = (n: number, extra: Record<string, unknown> = {}) => ({
  externalId: `ERP-${n}`,
  currency: 'EUR',
  buyer: { email: `buyer${n}@example.com`, name: null, country: 'AT' },
  items: [{ sku: 'EBOOK-1', title: 'E-book', quantity: 1, unitPrice: 1990, tax: 318 }],
  createdAt: '2026-03-01T10:00:00Z',
  ...extra,
});

describe('importOrders / importOrdersCsv (generic channel push)', () => {
  let api: TestApi;
  let key: string;
  let generic: string;
  const sql = <T>(query: string, params: unknown[] = []) =>
    api.orm.em.fork().getConnection().execute<T[]>(query, params);
  const count = async (query: string, params: unknown[] = []) => (await sql<{ n: number }>(query, params))[0]!.n;
  const ordersOf = (connectionId: string) =>
    count('select count(*)::int as n from "order" where connection_id = ?', [connectionId]);
  const importOrders = async (orders: unknown[], connectionId = generic, apiKey = key) => {
    const res = await api.gql<{ importOrders: ImportPayload }>(IMPORT, { c: connectionId, o: orders }, apiKey);
    expect(res.errors).toBeUndefined();
    return res.data!.importOrders;
  };
  const importCsv = async (csv: string, connectionId = generic) => {
    const res = await api.gql<{ importOrdersCsv: ImportPayload }>(IMPORT_CSV, { c: connectionId, csv }, key);
    expect(res.errors).toBeUndefined();
    return res.data!.importOrdersCsv;
  };
  const newConnection = async (kind: string, name: string) =>
    (
      await api.gql<{ createChannelConnection: { connection: { id: string } } }>(
        CREATE,
        { i: { kind, name, settings: kind === 'generic' ? {} : { baseUrl: 'http://127.0.0.1:9' } } },
        key,
      )
    ).data!.createChannelConnection.connection.id;

  beforeAll(async () => {
    api = await startTestApi(inject('database'));
    ({ apiKey: key } = await api.merchantWithKey('Push shop'));
    generic = await newConnection('generic', 'ERP');
  });
  afterAll(() => api.close());

  it('imports once; a repeated call is all unchanged; a paid order triggers order.paid exactly once', async () => {
    const batch = [order(1), order(2, { status: 'PENDING' }), order(3, { tags: ['vip'], number: 'INV-3' })];
    expect(await importOrders(batch)).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      stale: 0,
      lineErrors: [],
      userErrors: [],
    });
    expect(await importOrders(batch)).toMatchObject({ created: 0, updated: 0, unchanged: 3, stale: 0 });
    expect(await ordersOf(generic)).toBe(3);

    const paid = await sql<{ external_id: string; n: number }>(
      `select o.external_id, count(*)::int as n from order_trigger t join "order" o on o.id = t.order_id
        where o.connection_id = ? and t.kind = 'order.paid' group by o.external_id order by o.external_id`,
      [generic],
    );
    expect(paid).toEqual([
      { external_id: 'ERP-1', n: 1 },
      { external_id: 'ERP-3', n: 1 },
    ]);
    const [events] = await sql<{ source: string; actor: string }>(
      `select e.source, e.actor from order_event e join "order" o on o.id = e.order_id where o.external_id = 'ERP-1' and o.connection_id = ?`,
      [generic],
    );
    expect(events).toEqual({ source: 'api', actor: 'api-key:test' });

    // ERP-2 becomes paid later: one more trigger, reported as updated; a later re-send stays unchanged.
    const nowPaid = order(2, { status: 'PAID', updatedAt: '2026-03-02T10:00:00Z' });
    expect(await importOrders([nowPaid])).toMatchObject({ updated: 1 });
    expect(await importOrders([nowPaid])).toMatchObject({ unchanged: 1 });
    expect(
      await count(
        `select count(*)::int as n from order_trigger t join "order" o on o.id = t.order_id where o.connection_id = ? and t.kind = 'order.paid'`,
        [generic],
      ),
    ).toBe(3);
    // An older report than the one held is stale and changes nothing.
    expect(await importOrders([order(2, { status: 'PENDING', updatedAt: '2026-03-01T12:00:00Z' })])).toMatchObject({
      stale: 1,
    });
  });

  it('invalid order fields: every problem reported with its path, nothing of the batch written', async () => {
    const before = await ordersOf(generic);
    const res = await importOrders([
      order(10),
      order(11, { currency: 'euro', items: [{ title: 'x', quantity: 0, unitPrice: 5 }] }),
      order(12, { buyer: { email: 'not-an-email' }, createdAt: 'yesterday' }),
    ]);
    expect(res).toMatchObject({ created: 0, updated: 0, unchanged: 0, lineErrors: [] });
    expect(res.userErrors.map((e) => e.field!.join('.'))).toEqual([
      'orders.1.currency',
      'orders.1.items.0.quantity',
      'orders.2.buyer.email',
      'orders.2.createdAt',
    ]);
    expect(res.userErrors.every((e) => e.code === 'BAD_USER_INPUT')).toBe(true);
    expect(await ordersOf(generic)).toBe(before);
  });

  it('501 orders are rejected as a whole; 500 are fine', async () => {
    const before = await ordersOf(generic);
    const many = Array.from({ length: 501 }, (_, i) => order(1000 + i));
    const rejected = await importOrders(many);
    expect(rejected.userErrors).toEqual([
      { field: ['orders'], code: 'BAD_USER_INPUT', message: expect.stringContaining('500') },
    ]);
    expect(await ordersOf(generic)).toBe(before);
    expect(await importOrders(many.slice(0, 500))).toMatchObject({ created: 500, userErrors: [] });
  });

  it('only generic connections accept pushes; unknown, malformed and foreign ids are NOT_FOUND', async () => {
    const woo = await newConnection('woocommerce', 'Woo');
    const res = await importOrders([order(20)], woo);
    expect(res.userErrors).toEqual([
      { field: ['connectionId'], code: 'BAD_USER_INPUT', message: expect.stringContaining('generic') },
    ]);
    const csv = await importCsv(`${HEADER}\nX,paid,,EUR,,T,1,1.00,`, woo);
    expect(csv.userErrors[0]!.code).toBe('BAD_USER_INPUT');
    expect(await ordersOf(woo)).toBe(0);

    const other = await api.merchantWithKey('Other shop');
    for (const [id, apiKey] of [
      ['not-a-uuid', key],
      ['00000000-0000-0000-0000-000000000000', key],
      [generic, other.apiKey],
    ] as const) {
      expect((await importOrders([order(21)], id, apiKey)).userErrors[0]!.code).toBe('NOT_FOUND');
    }
    expect(await count(`select count(*)::int as n from "order" where external_id = 'ERP-21'`)).toBe(0);
  });

  it('needs orders:write', async () => {
    const reader = await api.merchantWithKey('Reader', ['orders:read']);
    const res = await api.gql(IMPORT, { c: generic, o: [order(30)] }, reader.apiKey);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('CSV: a bad row is reported by line and leaves its order out; the other orders import, idempotently', async () => {
    const conn = await newConnection('generic', 'CSV shop');
    const csv = [
      HEADER,
      'C-1,paid,a@example.com,EUR,EB-1,E-book,1,12.50,2026-03-01T00:00:00Z',
      'C-1,paid,a@example.com,EUR,EB-2,Course,1,5.00,2026-03-01T00:00:00Z',
      'C-2,paid,b@example.com,EUR,EB-1,E-book,two,12.50,2026-03-01T00:00:00Z',
      'C-3,pending,c@example.com,EUR,EB-1,E-book,1,12.50,2026-03-01T00:00:00Z',
    ].join('\r\n');
    const first = await importCsv(csv, conn);
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0, userErrors: [] });
    expect(first.lineErrors).toEqual([{ line: 4, message: expect.stringContaining('quantity "two"') }]);
    const held = await sql<{ external_id: string; total: number; items: number }>(
      `select o.external_id, o.total, (select count(*)::int from order_item i where i.order_id = o.id) as items
         from "order" o where o.connection_id = ? order by o.external_id`,
      [conn],
    );
    expect(held).toEqual([
      { external_id: 'C-1', total: 1750, items: 2 },
      { external_id: 'C-3', total: 1250, items: 1 },
    ]);
    expect(await importCsv(csv, conn)).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('CSV over 5 MB is rejected before parsing and writes nothing; a CSV of only bad rows writes nothing', async () => {
    const conn = await newConnection('generic', 'Big CSV');
    const row = 'B-1,paid,a@example.com,EUR,EB-1,E-book,1,1.00,2026-03-01T00:00:00Z\n';
    const big = HEADER + '\n' + row.repeat(Math.ceil((5 * 1024 * 1024) / row.length) + 1);
    expect(Buffer.byteLength(big)).toBeGreaterThan(5 * 1024 * 1024);
    const res = await importCsv(big, conn);
    expect(res.userErrors).toEqual([
      { field: ['csv'], code: 'BAD_USER_INPUT', message: expect.stringContaining('5 MB') },
    ]);
    expect(await ordersOf(conn)).toBe(0);

    const bad = await importCsv('external_id,currency\nX,EUR\n', conn);
    expect(bad.created).toBe(0);
    expect(bad.lineErrors.length).toBeGreaterThan(0);
    expect(await ordersOf(conn)).toBe(0);
  });

  it('a CSV of 1,200 orders (several import batches) imports completely', async () => {
    const conn = await newConnection('generic', 'Many');
    const rows = Array.from({ length: 1200 }, (_, i) => `M-${i},paid,,EUR,EB-1,E-book,1,1.00,2026-03-01T00:00:00Z`);
    const res = await importCsv([HEADER, ...rows].join('\n'), conn);
    expect(res).toMatchObject({ created: 1200, lineErrors: [], userErrors: [] });
    expect(await ordersOf(conn)).toBe(1200);
  });
});
