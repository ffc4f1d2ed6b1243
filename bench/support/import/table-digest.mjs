// Counts and an MD5 over everything the hub keeps of the orders and their lines (not ids or the
// hub's own timestamps), so the two databases can be shown to hold identical data.
import { requireApiDependency } from '../paths.mjs';

const pg = requireApiDependency('pg');

const ORDERS = `select count(*)::int as rows, md5(coalesce(string_agg(json_build_array(
    external_id, number, status, channel_status, buyer_email, buyer_name, buyer_language, buyer_country,
    currency, total, tax_total, tags, placed_at, paid_at, channel_updated_at, raw, fingerprint
  )::text, '|' order by external_id), '')) as digest
  from "order"`;

const ITEMS = `select count(*)::int as rows, md5(coalesce(string_agg(json_build_array(
    o.external_id, i.external_id, i.sku, i.title, i.quantity, i.unit_price, i.tax, i.refunded_quantity,
    i.cancelled, i.product_id
  )::text, '|' order by o.external_id, i.external_id), '')) as digest
  from order_item i join "order" o on o.id = i.order_id`;

/**
 * @param {string} databaseUrl
 * @returns {Promise<{ orders: number, items: number, ordersDigest: string, itemsDigest: string }>}
 */
export async function orderDigest(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`set time zone 'UTC'`);
    const orders = (await client.query(ORDERS)).rows[0];
    const items = (await client.query(ITEMS)).rows[0];
    return { orders: orders.rows, items: items.rows, ordersDigest: orders.digest, itemsDigest: items.digest };
  } finally {
    await client.end();
  }
}
