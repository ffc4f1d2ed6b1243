import { createHash } from 'node:crypto';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProductFile } from '../../catalog/product-file.entity.js';
import { Product } from '../../catalog/product.entity.js';
import { ChannelConnection } from '../../channels/channel-connection.entity.js';
import type { Clock } from '../../clock.js';
import { Merchant } from '../../merchants/merchant.entity.js';
import { OrderItem } from '../../orders/order-item.entity.js';
import { Order } from '../../orders/order.entity.js';
import { StorageConnection } from '../../storage/storage-connection.entity.js';
import { assignStorageRoot } from '../../testing/storage-root.js';
import type { TestApi } from '../../testing/test-api.js';
import { DownloadGrant } from '../download-grant.entity.js';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(public t: number = Date.parse('2026-03-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
}

/** A temporary folder for local storage roots; pass it as HANDOFF_STORAGE_ROOTS. */
export async function tempRoot(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'handoff-dl-')));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const sha256 = (data: Buffer | Uint8Array) => createHash('sha256').update(data).digest('hex');

export interface DigitalOrder {
  merchantId: string;
  storageId: string;
  orderId: string;
  itemIds: string[];
  productIds: string[];
  fileIds: string[];
  /** grants[line][file] */
  grantIds: string[][];
}

export interface FileSpec {
  name: string;
  /** The ref stored on the ProductFile; defaults to the name. */
  ref?: string;
  /** Written under the root when given. */
  content?: Buffer;
}

/**
 * An order with `lines` lines, each of its own digital product carrying `files`, in local storage
 * under `root` (assigned to the merchant unless `storage` is given), granted through the grant service.
 */
export async function seedDigitalOrder(
  api: TestApi,
  em: EntityManager,
  options: {
    merchantId: string;
    root: string;
    files: FileSpec[];
    lines?: number;
    limit?: number | null;
    validityDays?: number | null;
    delivery?: 'stream' | 'redirect';
    storage?: StorageConnection;
  },
): Promise<DigitalOrder> {
  const merchant = em.getReference(Merchant, options.merchantId);
  for (const f of options.files) if (f.content) await writeFile(join(options.root, f.ref ?? f.name), f.content);
  if (!options.storage) await assignStorageRoot(em, options.merchantId, options.root);
  const storage =
    options.storage ??
    em.create(StorageConnection, {
      merchant,
      kind: 'local',
      name: 'Local',
      options: { root: options.root },
      delivery: options.delivery ?? 'stream',
    });
  const channel = em.create(ChannelConnection, { merchant, kind: 'generic', name: 'Shop' });
  const suffix = Math.random().toString(36).slice(2, 8);
  const order = em.create(Order, {
    merchant,
    connection: channel,
    externalId: `o-${suffix}`,
    number: `#${suffix}`,
    status: 'paid',
    currency: 'EUR',
    placedAt: new Date('2026-03-01T09:00:00Z'),
    channelUpdatedAt: new Date('2026-03-01T09:00:00Z'),
  });
  const products: Product[] = [];
  const files: ProductFile[] = [];
  const items: OrderItem[] = [];
  for (let line = 0; line < (options.lines ?? 1); line++) {
    const product = em.create(Product, {
      merchant,
      sku: `SKU-${suffix}-${line}`,
      name: `Product ${line}`,
      downloadLimit: options.limit === undefined ? 3 : options.limit,
      downloadValidityDays: options.validityDays === undefined ? 30 : options.validityDays,
    });
    products.push(product);
    options.files.forEach((f, i) =>
      files.push(
        em.create(ProductFile, {
          merchant,
          product,
          storage,
          ref: f.ref ?? f.name,
          displayName: f.name,
          size: f.content?.length ?? null,
          position: i,
        }),
      ),
    );
    items.push(
      em.create(OrderItem, {
        merchant,
        order,
        externalId: `line-${line}`,
        sku: product.sku,
        title: product.name,
        product,
      }),
    );
  }
  await em.flush();
  await api.services.grants.grantDownloads(em, order.id, { merchantId: options.merchantId, name: 'test' });
  const grants = await em.find(DownloadGrant, { order: order.id }, { refresh: true });
  if (options.limit === null) {
    // A product's null limit defers to the merchant default; unlimited grants are an edit.
    await em.nativeUpdate(DownloadGrant, { order: order.id }, { limit: null });
  }
  return {
    merchantId: options.merchantId,
    storageId: storage.id,
    orderId: order.id,
    itemIds: items.map((i) => i.id),
    productIds: products.map((p) => p.id),
    fileIds: files.map((f) => f.id),
    grantIds: items.map((item) =>
      files
        .filter((f) => f.product.id === item.product!.id)
        .map((f) => grants.find((g) => g.orderItem.id === item.id && g.productFile.id === f.id)!.id),
    ),
  };
}

/** Mints a /d/ link for a grant the way the console does; returns the URL on the test API. */
export async function linkFor(api: TestApi, merchantId: string, grantId: string): Promise<string> {
  const { url } = await api.services.downloads.mintLink(api.orm.em.fork(), grantId, { merchantId });
  return `${api.url}${new URL(url).pathname}`;
}
