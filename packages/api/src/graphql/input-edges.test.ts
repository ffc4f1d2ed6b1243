import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type GraphQLResponse, type TestApi } from '../testing/test-api.js';

const SEARCH = 'query($s: String) { orders(first: 1, filter: { search: $s }) { edges { cursor } } }';
const CREATE_PRODUCT =
  'mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } userErrors { field message } } }';
const IMPORT = `mutation($c: ID!, $o: [GenericOrderInput!]!) {
  importOrders(connectionId: $c, orders: $o) { created userErrors { field message code } }
}`;
const IMPORT_CSV = `mutation($c: ID!, $csv: String!) {
  importOrdersCsv(connectionId: $c, csv: $csv) { created lineErrors { line message } userErrors { field message } }
}`;

const EMAIL = 'hidden.buyer@example.com';
const NAME = 'Wilhelmina Privatname';
const order = (externalId: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  currency: 'EUR',
  buyer: { email: EMAIL, name: NAME },
  items: [{ title: 'E-book', quantity: 1, unitPrice: 1990 }],
  createdAt: '2026-03-01T10:00:00Z',
  ...extra,
});
const CSV_HEADER = 'external_id,buyer_email,buyer_name,currency,title,quantity,unit_price,created_at';
const csvRow = (id: string, name: string, quantity: string, price: string) =>
  `${id},${EMAIL},${name},EUR,E-book,${quantity},${price},2026-03-01T00:00:00Z`;

/** What reached the log, one JSON line per entry. */
const logged: string[] = [];
const logSink = { write: (line: string) => void logged.push(line) };

const badInput = (res: GraphQLResponse) => ({
  status: res.status,
  code: res.errors?.[0]?.extensions?.code,
  field: (res.errors?.[0]?.extensions as { field?: string } | undefined)?.field,
});

describe('text and amounts at the input edges', () => {
  let api: TestApi;
  let key: string;
  let generic: string;
  const count = async (sql: string, params: unknown[] = []) =>
    (await api.orm.em.fork().getConnection().execute<{ n: number }[]>(sql, params))[0]!.n;
  const orderCount = () => count('select count(*)::int as n from "order"');

  beforeAll(async () => {
    api = await startTestApi(inject('database'), { env: { LOG_LEVEL: 'info' }, logTo: logSink });
    key = (await api.merchantWithKey('Edges')).apiKey;
    const created = await api.gql<{ createChannelConnection: { connection: { id: string } } }>(
      'mutation { createChannelConnection(input: { kind: "generic", name: "ERP" }) { connection { id } } }',
      {},
      key,
    );
    generic = created.data!.createChannelConnection.connection.id;
  });
  afterAll(() => api.close());

  it.each([
    ['a search with a NUL', SEARCH, { s: 'a\u0000b' }, '$s'],
    ['a search with a lone surrogate', SEARCH, { s: 'a\uD800b' }, '$s'],
    ['a product name with a NUL', CREATE_PRODUCT, { i: { sku: 'N-1', name: 'x\u0000' } }, '$i.name'],
    ['a product name with a lone low surrogate', CREATE_PRODUCT, { i: { sku: 'N-2', name: '\uDC00x' } }, '$i.name'],
    [
      'a pushed buyer name with a NUL',
      IMPORT,
      { o: [order('P-1', { buyer: { email: EMAIL, name: 'Wil\u0000helmina' } })] },
      '$o[0].buyer.name',
    ],
    [
      'a pushed line title with a lone surrogate',
      IMPORT,
      { o: [order('P-2', { items: [{ title: 'E\uD83D', quantity: 1, unitPrice: 5 }] })] },
      '$o[0].items[0].title',
    ],
  ])('%s is BAD_USER_INPUT naming the field, and writes nothing', async (_name, query, variables, field) => {
    const before = await orderCount();
    const res = await api.gql(query, { c: generic, ...variables }, key);
    expect(badInput(res)).toEqual({ status: 400, code: 'BAD_USER_INPUT', field });
    expect(res.errors![0]!.message).toContain(field);
    expect(await orderCount()).toBe(before);
  });

  it('a literal argument with a NUL escape is named by its argument path', async () => {
    const res = await api.gql('{ orders(first: 1, filter: { search: "a\\u0000b" }) { edges { cursor } } }', {}, key);
    expect(badInput(res)).toEqual({ status: 400, code: 'BAD_USER_INPUT', field: 'filter.search' });
  });

  it('a well-formed surrogate pair (an emoji) is fine', async () => {
    const res = await api.gql(CREATE_PRODUCT, { i: { sku: 'EMOJI-1', name: 'Sticker \uD83D\uDE00' } }, key);
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ createProduct: { userErrors: [] } });
  });

  it('a CSV with a NUL is refused naming the variable and the line', async () => {
    const csv = [CSV_HEADER, csvRow('C-1', NAME, '1', '1.00'), csvRow('C-2', 'Wil\u0000', '1', '1.00')].join('\n');
    const res = await api.gql(IMPORT_CSV, { c: generic, csv }, key);
    expect(badInput(res)).toEqual({ status: 400, code: 'BAD_USER_INPUT', field: '$csv' });
    expect(res.errors![0]!.message).toContain('line 3');
    expect(await count('select count(*)::int as n from "order" where external_id like ?', ['C-%'])).toBe(0);
  });

  it('a pushed order whose total passes the integer range is a userError; nothing is written', async () => {
    const before = await orderCount();
    const huge = order('BIG-1', { items: [{ title: 'Bulk', quantity: 1000, unitPrice: 2_000_000_000 }] });
    const res = await api.gql<{ importOrders: { created: number; userErrors: { field: string[]; code: string }[] } }>(
      IMPORT,
      { c: generic, o: [order('OK-1'), huge] },
      key,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.importOrders.userErrors).toEqual([
      expect.objectContaining({ field: ['orders', '1', 'items'], code: 'BAD_USER_INPUT' }),
    ]);
    expect(await orderCount()).toBe(before);
  });

  it('CSV amounts past the integer range are line errors; the other orders import', async () => {
    const csv = [
      CSV_HEADER,
      csvRow('R-1', NAME, '1', '99999999999.00'),
      csvRow('R-2', NAME, '99999999999', '1.00'),
      csvRow('R-3', NAME, '1000', '9999999.00'),
      csvRow('R-4', NAME, '1', '12.50'),
    ].join('\n');
    const res = await api.gql<{
      importOrdersCsv: { created: number; lineErrors: { line: number; message: string }[] };
    }>(IMPORT_CSV, { c: generic, csv }, key);
    expect(res.errors).toBeUndefined();
    expect(res.data!.importOrdersCsv.created).toBe(1);
    expect(res.data!.importOrdersCsv.lineErrors).toEqual([
      { line: 2, message: expect.stringContaining('unit_price exceeds') },
      { line: 3, message: expect.stringContaining('quantity exceeds') },
      { line: 4, message: expect.stringContaining('total of order "R-3" exceeds') },
    ]);
  });

  it("a failed INSERT is logged without its statement's values: no buyer email or name in the log", async () => {
    const em = api.orm.em.fork();
    await em.getConnection().execute('alter table "order" rename column tags to tags_gone');
    try {
      logged.length = 0;
      const res = await api.gql(IMPORT, { c: generic, o: [order('LOG-1')] }, key);
      expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const errors = logged.filter((line) => JSON.parse(line).level >= 50);
      expect(errors).toHaveLength(1);
      // The database's own words stay, so the failure can still be diagnosed.
      expect(errors[0]).toContain('column \\"tags\\" of relation \\"order\\" does not exist');
      const all = logged.join('\n');
      expect(all).not.toContain(EMAIL);
      expect(all).not.toContain('Privatname');
    } finally {
      await em.getConnection().execute('alter table "order" rename column tags_gone to tags');
    }
  });
});
