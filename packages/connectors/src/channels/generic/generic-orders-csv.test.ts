import { describe, expect, it } from 'vitest';
import { GenericConnector } from './generic.connector.js';
import { parseOrdersCsv } from './generic-orders-csv.js';
import { readCsvRecords } from './csv-records.js';

const HEADER =
  'external_id,number,status,buyer_email,buyer_name,buyer_language,buyer_country,currency,sku,title,quantity,unit_price,tax,created_at,updated_at';
const now = () => new Date('2025-05-01T00:00:00Z');

describe('readCsvRecords', () => {
  it('follows RFC 4180 quoting, CRLF, embedded line breaks and reports start lines', () => {
    const { records, errors } = readCsvRecords('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",z\n\nlast,1');
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', 'z'] },
      { line: 6, fields: ['last', '1'] },
    ]);
  });

  it('reports an unterminated quote at the line it opened', () => {
    const { records, errors } = readCsvRecords('a,b\n1,"open\n2,3\n');
    expect(records).toEqual([{ line: 1, fields: ['a', 'b'] }]);
    expect(errors).toEqual([{ line: 2, message: 'Unterminated quoted field' }]);
  });
});

describe('parseOrdersCsv', () => {
  it('groups rows by external_id into orders with lines, money in minor units', () => {
    const csv = [
      HEADER,
      'A-1,1001,paid,ann@example.com,"Doe, Ann",de,de,EUR,EB-1,"E-book ""One""",2,12.50,2.00,2025-04-01T10:00:00Z,',
      'A-1,1001,paid,ann@example.com,"Doe, Ann",de,de,EUR,EB-2,Course,1,5,0.80,2025-04-01T10:00:00Z,',
      'B-7,,pending,,,,,JPY,,Pack,3,1500,,2025-04-02T00:00:00Z,2025-04-03T00:00:00Z',
      'C-2,,refunded,c@example.com,,,,KWD,K,Item,1,12.345,0.617,2025-04-04T00:00:00Z,',
    ].join('\r\n');

    const { orders, errors } = parseOrdersCsv(csv, { now });

    expect(errors).toEqual([]);
    expect(orders).toHaveLength(3);
    const [a, b, c] = orders;
    expect(a).toMatchObject({
      externalId: 'A-1',
      number: '1001',
      status: 'paid',
      currency: 'EUR',
      total: 3000,
      taxTotal: 280,
      buyer: { email: 'ann@example.com', name: 'Doe, Ann', language: 'de', country: 'DE' },
      createdAt: new Date('2025-04-01T10:00:00Z'),
      updatedAt: new Date('2025-04-01T10:00:00Z'),
      paidAt: new Date('2025-04-01T10:00:00Z'),
    });
    expect(a!.items.map((i) => [i.externalId, i.sku, i.title, i.quantity, i.unitPrice, i.tax])).toEqual([
      ['A-1:1', 'EB-1', 'E-book "One"', 2, 1250, 200],
      ['A-1:2', 'EB-2', 'Course', 1, 500, 80],
    ]);
    expect(b).toMatchObject({
      number: 'B-7',
      status: 'pending',
      total: 4500,
      paidAt: null,
      updatedAt: new Date('2025-04-03T00:00:00Z'),
    });
    expect(b!.items[0]!.sku).toBeNull();
    expect(c).toMatchObject({
      status: 'refunded',
      total: 12345,
      taxTotal: 617,
      createdAt: new Date('2025-04-04T00:00:00Z'),
    });
    expect(c!.items[0]!.refundedQuantity).toBe(1);
  });

  it('reports every bad row with its line and skips the whole order, never silently', () => {
    const csv = [
      HEADER,
      'A,,paid,,,,,EUR,,Good line,1,1.00,,2025-04-01,', // line 2: skipped because line 3 is bad
      'A,,paid,,,,,EUR,,Bad qty,two,1.00,,2025-04-01,', // line 3
      'B,,paid,,,,,EUR,,Comma price,1,"1,50",,2025-04-01,', // line 4
      'C,,shipped,,,,,EUR,,Fine,1,9.99,,2025-04-01,', // line 5: ok
      ',,paid,,,,,EUR,,No id,1,1,,2025-04-01,', // line 6
      'D,,bogus,,,,,EURO,,x,0,1,,yesterday,', // line 7
      'E,,paid,,,,,EUR,,a,1,1,,2025-04-01,', // line 8
      'E,,paid,,,,,USD,,b,1,1,,2025-04-01,', // line 9: currency differs
      'F,too,few', // line 10
    ].join('\n');

    const { orders, errors } = parseOrdersCsv(csv, { now });

    expect(orders.map((o) => o.externalId)).toEqual(['C']);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 6, 7, 7, 7, 7, 8, 9, 10]);
    expect(errors.find((e) => e.line === 2)!.message).toBe('skipped: order "A" has an invalid row at line 3');
    expect(errors.find((e) => e.line === 3)!.message).toContain('quantity "two"');
    expect(errors.find((e) => e.line === 4)!.message).toContain('unit_price "1,50"');
    expect(errors.find((e) => e.line === 6)!.message).toBe('external_id is empty');
    expect(errors.filter((e) => e.line === 7).map((e) => e.message)).toEqual([
      'quantity must be at least 1',
      'currency "EURO" is not an ISO-4217 code',
      expect.stringContaining('status "bogus"'),
      'created_at "yesterday" is not a date',
    ]);
    expect(errors.find((e) => e.line === 9)!.message).toBe('currency differs from line 8 of the same order');
    expect(errors.find((e) => e.line === 10)!.message).toBe('expected 15 fields, found 3');
  });

  it('reports text the database cannot store and amounts beyond its integers by line; the rest imports', () => {
    const head = 'external_id,buyer_name,currency,title,quantity,unit_price,created_at';
    const csv = [
      head,
      'A,Eva\u0000,EUR,Book,1,1.00,2026-01-01',
      'B,Eva,EUR,Book\uDC00,1,1.00,2026-01-01',
      'C,Eva,EUR,Book,1,21474836.48,2026-01-01',
      'D,Eva,EUR,Book,2,21474836.47,2026-01-01',
      'E,Eva,EUR,Book,1,21474836.47,2026-01-01',
    ].join('\n');
    const { orders, errors } = parseOrdersCsv(csv, { now });
    expect(orders.map((o) => o.externalId)).toEqual(['E']);
    expect(orders[0]!.total).toBe(2_147_483_647);
    expect(errors).toEqual([
      { line: 2, message: expect.stringContaining('buyer_name contains a NUL') },
      { line: 3, message: expect.stringContaining('title contains an unpaired') },
      { line: 4, message: 'unit_price exceeds 2147483647 minor units' },
      { line: 5, message: 'the total of order "D" exceeds 2147483647 minor units' },
    ]);
  });

  it('requires created_at, so a re-upload of the same file changes nothing', () => {
    const { orders, errors } = parseOrdersCsv('title,unit_price,currency,quantity,external_id\nThing,3.5,usd,2,X\n', {
      now,
    });
    expect(orders).toEqual([]);
    expect(errors).toEqual([{ line: 2, message: 'created_at is required (repeated imports must see the same order)' }]);
  });

  it('accepts columns in any order and only the required ones, defaulting status to paid', () => {
    const { orders, errors } = parseOrdersCsv(
      'title,unit_price,currency,quantity,external_id,created_at\nThing,3.5,usd,2,X,2025-04-05T08:00:00Z\n',
      { now },
    );
    expect(errors).toEqual([]);
    expect(orders[0]).toMatchObject({
      externalId: 'X',
      number: 'X',
      status: 'paid',
      currency: 'USD',
      total: 700,
      createdAt: new Date('2025-04-05T08:00:00Z'),
    });
  });

  it('refuses a header with missing or unknown columns', () => {
    const { orders, errors } = parseOrdersCsv('external_id,title,qty\nA,b,1\n');
    expect(orders).toEqual([]);
    expect(errors).toEqual([
      {
        line: 1,
        message:
          'missing column "currency"; missing column "quantity"; missing column "unit_price"; unknown column "qty"',
      },
    ]);
  });
});

describe('GenericConnector', () => {
  it('has nothing to poll', async () => {
    const connector = new GenericConnector({ credentials: {}, settings: {} });
    expect(connector.kind).toBe('generic');
    await expect(connector.listOrders({ since: null, cursor: null })).resolves.toEqual({
      orders: [],
      nextCursor: null,
    });
  });
});
