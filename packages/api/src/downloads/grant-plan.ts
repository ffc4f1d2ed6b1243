import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertRows } from '../db/sql.js';
import type { ProductFile } from '../catalog/product-file.entity.js';
import type { MerchantSettings } from '../merchants/merchant-settings.js';
import type { OrderLineFacts } from '../orders/order-facts.js';

const DAY_MS = 86_400_000;

export type GrantMode = 'ungranted_lines' | 'all_lines';

/** A grant row ready for a multi-row insert. */
export interface GrantRow {
  id: string;
  merchant: string;
  order: string;
  orderItem: string;
  productFile: string;
  limit: number | null;
  used: number;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface GrantPlanInput {
  merchantId: string;
  orderId: string;
  /** The order's lines with their products loaded. */
  items: OrderLineFacts[];
  /** Files of the lines' products (any others are ignored). */
  files: ProductFile[];
  /** (line, file) pairs already granted, revoked ones included. */
  existing: { orderItemId: string; productFileId: string }[];
  defaults: MerchantSettings['downloads'];
  now: Date;
  /** `ungranted_lines`: only lines without any grant; `all_lines`: files linked since (regenerate). */
  mode: GrantMode;
}

/**
 * The grants an order is missing: one per live digital line × file of its product, limit and
 * expiry from the product, else the merchant's defaults. Pure: the caller loads and writes.
 */
export function planGrants(input: GrantPlanInput): GrantRow[] {
  const granted = new Set(input.existing.map((g) => `${g.orderItemId}:${g.productFileId}`));
  const grantedLines = new Set(input.existing.map((g) => g.orderItemId));
  const { now, defaults } = input;
  return input.items
    .filter(
      (i) =>
        i.product?.digital &&
        !i.cancelled &&
        i.refundedQuantity < i.quantity &&
        (input.mode === 'all_lines' || !grantedLines.has(i.id)),
    )
    .flatMap((item) => {
      const product = item.product!;
      const limit = product.downloadLimit ?? defaults.defaultLimit;
      const days = product.downloadValidityDays ?? defaults.defaultValidityDays;
      return input.files
        .filter((f) => f.product.id === product.id && !granted.has(`${item.id}:${f.id}`))
        .map((f) => ({
          id: randomUUID(),
          merchant: input.merchantId,
          order: input.orderId,
          orderItem: item.id,
          productFile: f.id,
          limit,
          used: 0,
          expiresAt: days == null ? null : new Date(now.getTime() + days * DAY_MS),
          createdAt: now,
          updatedAt: now,
        }));
    });
}

/**
 * Writes planned grants; returns the ids that were inserted. Two concurrent runs (a rule and a
 * merchant's click) meet at the unique (line, file) index: the later one adds nothing.
 */
export async function insertGrants(tx: EntityManager, rows: GrantRow[]): Promise<Set<string>> {
  const inserted = await insertRows<{ id: string }>(
    tx,
    'download_grant',
    {
      id: 'uuid',
      merchant_id: 'uuid',
      order_id: 'uuid',
      order_item_id: 'uuid',
      product_file_id: 'uuid',
      download_limit: 'int',
      used: 'int',
      expires_at: 'timestamptz',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
    },
    rows.map((r) => ({
      id: r.id,
      merchant_id: r.merchant,
      order_id: r.order,
      order_item_id: r.orderItem,
      product_file_id: r.productFile,
      download_limit: r.limit,
      used: r.used,
      expires_at: r.expiresAt,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    })),
    'on conflict (order_item_id, product_file_id) do nothing returning id',
  );
  return new Set(inserted.map((r) => r.id));
}
