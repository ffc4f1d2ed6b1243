// The baseline: the same orders and lines the hub writes, inserted with raw multi-row
// INSERT … ON CONFLICT through `pg` (the driver under the hub's ORM), one transaction per batch.
import { requireApiDependency } from '../paths.mjs';

const pg = requireApiDependency('pg');

// The columns the hub writes (orders/order-import.service.ts orderFields/itemFields, migrations).
const ORDER_COLUMNS = [
  'id',
  'merchant_id',
  'connection_id',
  'external_id',
  'number',
  'status',
  'channel_status',
  'buyer_email',
  'buyer_name',
  'buyer_language',
  'buyer_country',
  'currency',
  'total',
  'tax_total',
  'tags',
  'placed_at',
  'paid_at',
  'channel_updated_at',
  'raw',
  'fingerprint',
  'created_at',
  'updated_at',
];
const ORDER_KEY = ['id', 'merchant_id', 'connection_id', 'external_id', 'created_at'];
const ITEM_COLUMNS = [
  'id',
  'merchant_id',
  'order_id',
  'external_id',
  'sku',
  'title',
  'quantity',
  'unit_price',
  'tax',
  'refunded_quantity',
  'cancelled',
  'product_id',
];

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_ITEM_ROWS = 5000;

const orderUpdates = ORDER_COLUMNS.filter((c) => !ORDER_KEY.includes(c))
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');

/** `($1, $2, …), (…)` for `rows` rows of `width` parameters. */
function placeholders(rows, width) {
  const groups = [];
  for (let r = 0; r < rows; r++) {
    const group = [];
    for (let c = 1; c <= width; c++) group.push(`$${r * width + c}`);
    groups.push(`(${group.join(', ')})`);
  }
  return groups.join(', ');
}

/**
 * The parameter rows, built before the clock starts: the baseline times the database writes only.
 * @param {import('@handoff/shared').NormalizedOrder[]} orders
 * @param {{ merchantId: string, connectionId: string, fingerprint: (o: unknown) => string, now: Date }} target
 */
export function baselineRows(orders, { merchantId, connectionId, fingerprint, now }) {
  return orders.map((o) => ({
    order: [
      crypto.randomUUID(),
      merchantId,
      connectionId,
      o.externalId,
      o.number,
      o.status,
      o.channelStatus.slice(0, 100),
      o.buyer.email,
      o.buyer.name,
      o.buyer.language,
      o.buyer.country,
      o.currency,
      o.total,
      o.taxTotal,
      o.tags,
      o.createdAt,
      o.paidAt,
      o.updatedAt,
      JSON.stringify(o.raw),
      fingerprint(o),
      now,
      now,
    ],
    items: o.items.map((i) => [
      merchantId,
      i.externalId,
      i.sku,
      i.title.slice(0, 500),
      i.quantity,
      i.unitPrice,
      i.tax,
      i.refundedQuantity,
      i.cancelled,
    ]),
  }));
}

/**
 * Inserts `rows` in batches of `batchSize` orders: per batch one transaction with one order upsert
 * (RETURNING the ids, which a conflict keeps) and one insert of the batch's lines.
 * @param {string} databaseUrl
 * @param {ReturnType<typeof baselineRows>} rows
 * @param {number} batchSize
 * @returns {Promise<{ ms: number, statements: number }>}
 */
export async function insertBaseline(databaseUrl, rows, batchSize) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select 1'); // the connection is warm before the clock starts
    let statements = 0;
    const started = performance.now();
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      await client.query('begin');
      const inserted = await client.query(
        `insert into "order" (${ORDER_COLUMNS.join(', ')}) values ${placeholders(batch.length, ORDER_COLUMNS.length)}
         on conflict (connection_id, external_id) do update set ${orderUpdates} returning id, external_id`,
        batch.flatMap((r) => r.order),
      );
      const orderIds = new Map(inserted.rows.map((r) => [r.external_id, r.id]));
      const items = batch.flatMap((r) => {
        const orderId = orderIds.get(r.order[3]);
        return r.items.map(([merchantId, ...rest]) => [crypto.randomUUID(), merchantId, orderId, ...rest, null]);
      });
      for (let first = 0; first < items.length; first += MAX_ITEM_ROWS) {
        const chunk = items.slice(first, first + MAX_ITEM_ROWS);
        await client.query(
          `insert into order_item (${ITEM_COLUMNS.join(', ')}) values ${placeholders(chunk.length, ITEM_COLUMNS.length)}
           on conflict (order_id, external_id) do nothing`,
          chunk.flat(),
        );
        statements += 1;
      }
      await client.query('commit');
      statements += 3;
    }
    return { ms: performance.now() - started, statements };
  } finally {
    await client.end();
  }
}
