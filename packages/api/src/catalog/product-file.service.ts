import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { confineRef, StorageError, type StorageEntry } from '@handoff/connectors';
import { conflict, HandoffError, invalidInput, notFound } from '@handoff/shared';
import { z } from 'zod';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { Merchant } from '../merchants/merchant.entity.js';
import type { StorageConnection } from '../storage/storage-connection.entity.js';
import type { StorageConnectionService } from '../storage/storage-connection.service.js';
import { ProductFile } from './product-file.entity.js';
import { Product } from './product.entity.js';

/** Files linked in one call; each is one provider stat. */
export const MAX_LINKED_PER_CALL = 50;
/** Provider stats in flight at once per call. */
const STAT_CONCURRENCY = 4;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const displayName = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((s) => !CONTROL.test(s), { message: 'must not contain control characters' });
const ref = z.string().min(1).max(1024);

const linkSchema = z
  .object({
    refs: z.array(ref).min(1).max(MAX_LINKED_PER_CALL),
    displayNames: z.array(displayName).optional().nullable(),
  })
  .refine((v) => !v.displayNames || v.displayNames.length === v.refs.length, {
    message: 'must have one entry per ref',
    path: ['displayNames'],
  });

/** Links files in a merchant's storage to products: each ref checked by the provider, inside the root. */
export class ProductFileService {
  constructor(private readonly storage: StorageConnectionService) {}

  /**
   * Links files to a product, all or nothing: every ref is confined to the connection's root and
   * stat-ed through the provider (size, checksum, content type) before any row is written.
   */
  async link(
    ctx: MerchantContext,
    input: { productId: string; storageConnectionId: string; refs: string[]; displayNames?: string[] | null },
  ): Promise<ProductFile[]> {
    const data = parseInput(linkSchema, { refs: input.refs, displayNames: input.displayNames });
    const product = await this.product(ctx, input.productId);
    const connection = await this.connection(ctx, input.storageConnectionId);
    const seen = new Set<string>();
    data.refs.forEach((r, i) => {
      if (seen.has(r)) throw invalidInput('The same file is listed twice', `refs.${i}`);
      seen.add(r);
    });
    const entries = await this.statAll(ctx, connection, data.refs);
    const existing = await ctx.em.find(ProductFile, { product: product.id, merchant: ctx.actor.merchantId });
    entries.forEach((entry, i) => {
      if (existing.some((f) => f.storage.id === connection.id && f.ref === entry.ref)) {
        throw conflict('This file is already linked to the product', `refs.${i}`);
      }
    });
    let position = existing.reduce((max, f) => Math.max(max, f.position), -1);
    const now = ctx.clock.now();
    const files = entries.map((entry, i) =>
      ctx.em.create(ProductFile, {
        merchant: ctx.em.getReference(Merchant, ctx.actor.merchantId),
        product,
        storage: connection,
        ref: entry.ref,
        displayName: data.displayNames?.[i] ?? (entry.name || entry.ref).slice(0, 300),
        size: entry.size,
        checksum: entry.checksum,
        contentType: entry.contentType,
        position: ++position,
        createdAt: now,
      }),
    );
    await ctx.em.flush();
    return files;
  }

  /** Removes the link (and, by cascade, grants that pointed at it). Returns the removed id. */
  async unlink(ctx: MerchantContext, id: string): Promise<string> {
    const file = await this.file(ctx, id);
    try {
      await ctx.em.nativeDelete(ProductFile, { id: file.id, merchant: ctx.actor.merchantId });
    } catch (error) {
      if (error instanceof ForeignKeyConstraintViolationException) {
        throw conflict('Downloads still refer to this file', 'id');
      }
      throw error;
    }
    return file.id;
  }

  /**
   * Points an existing ProductFile at another file of the same storage connection (a new version):
   * the id stays, so grants keep pointing at it; size, checksum and content type are refreshed.
   */
  async replace(
    ctx: MerchantContext,
    id: string,
    input: { ref: string; displayName?: string | null },
  ): Promise<ProductFile> {
    const data = parseInput(z.object({ ref, displayName: displayName.optional().nullable() }), input);
    const file = await this.file(ctx, id);
    const connection = await this.connection(ctx, file.storage.id);
    const [entry] = await this.statAll(ctx, connection, [data.ref], 'ref');
    ctx.em.assign(file, {
      ref: entry!.ref,
      size: entry!.size,
      checksum: entry!.checksum,
      contentType: entry!.contentType,
      ...(data.displayName ? { displayName: data.displayName } : {}),
    });
    await ctx.em.flush();
    return file;
  }

  /** Sets the order of a product's files; `ids` must be exactly its files. */
  async reorder(ctx: MerchantContext, productId: string, ids: string[]): Promise<ProductFile[]> {
    const product = await this.product(ctx, productId);
    const files = await ctx.em.find(ProductFile, { product: product.id, merchant: ctx.actor.merchantId });
    const byId = new Map(files.map((f) => [f.id, f]));
    if (ids.length !== files.length || new Set(ids).size !== ids.length || !ids.every((i) => byId.has(i))) {
      throw invalidInput("ids must list each of the product's files exactly once", 'ids');
    }
    ids.forEach((fileId, position) => (byId.get(fileId)!.position = position));
    await ctx.em.flush();
    return ids.map((fileId) => byId.get(fileId)!);
  }

  private async product(ctx: MerchantContext, id: string): Promise<Product> {
    const product = isUuid(id) ? await ctx.em.findOne(Product, { id, merchant: ctx.actor.merchantId }) : null;
    if (!product) throw notFound('Product');
    return product;
  }

  private async file(ctx: MerchantContext, id: string): Promise<ProductFile> {
    const file = isUuid(id) ? await ctx.em.findOne(ProductFile, { id, merchant: ctx.actor.merchantId }) : null;
    if (!file) throw notFound('Product file');
    return file;
  }

  private async connection(ctx: MerchantContext, id: string): Promise<StorageConnection> {
    const { connection } = await this.storage.providerFor(ctx.em, ctx.actor.merchantId, id).catch((error: unknown) => {
      // providerFor throws StorageError for a connection it cannot use yet; linking needs a working one.
      if (error instanceof StorageError) throw new HandoffError('STORAGE_UNAUTHORIZED', error.message);
      throw error;
    });
    return connection;
  }

  /**
   * Stats every ref through the provider. Path-style refs are confined first (traversal, absolute
   * and encoded forms never reach the provider); a ref outside the root, missing, or a folder is a
   * BAD_USER_INPUT naming its index. Provider outages surface as STORAGE_UNAVAILABLE.
   */
  private async statAll(
    ctx: MerchantContext,
    connection: StorageConnection,
    refs: string[],
    field = 'refs',
  ): Promise<StorageEntry[]> {
    const at = (i: number) => (field === 'refs' ? `refs.${i}` : field);
    refs.forEach((r, i) => {
      if (connection.kind === 'google-drive' || (connection.kind === 'dropbox' && r.startsWith('id:'))) return;
      try {
        confineRef(r);
      } catch {
        throw invalidInput('The ref must be a path inside the storage root', at(i));
      }
      if (r === '' || r.endsWith('/')) throw invalidInput('The ref must name a file', at(i));
    });
    const entries: StorageEntry[] = new Array(refs.length);
    let next = 0;
    const worker = async () => {
      while (next < refs.length) {
        const i = next++;
        entries[i] = await this.statOne(ctx, connection, refs[i]!, at(i));
      }
    };
    await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, refs.length) }, worker));
    return entries;
  }

  private async statOne(
    ctx: MerchantContext,
    connection: StorageConnection,
    r: string,
    field: string,
  ): Promise<StorageEntry> {
    let entry: StorageEntry;
    try {
      entry = await this.storage.call(ctx.em, connection, (provider) => provider.stat(r));
    } catch (error) {
      if (error instanceof HandoffError && error.code === 'NOT_FOUND') {
        throw invalidInput('No such file inside the storage root', field);
      }
      throw error;
    }
    if (entry.kind !== 'file') throw invalidInput('The ref names a folder, not a file', field);
    return entry;
  }
}
