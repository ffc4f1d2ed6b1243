import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { conflict, notFound } from '@handoff/shared';
import { escapeLike } from '../db/escape-like.js';
import { keysetPage } from '../db/keyset-page.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { Merchant } from '../merchants/merchant.entity.js';
import {
  createProductSchema,
  updateProductSchema,
  type CreateProductInput,
  type UpdateProductInput,
} from './product-input.js';
import { Product } from './product.entity.js';

export interface ProductFilter {
  digital?: boolean | null;
  search?: string | null;
}

export class ProductService {
  async list(ctx: MerchantContext, filter: ProductFilter, first: number, after?: string | null) {
    const where: Record<string, unknown> = { merchant: ctx.actor.merchantId };
    if (filter.digital != null) where.digital = filter.digital;
    if (filter.search) {
      const like = `%${escapeLike(filter.search)}%`;
      where.$or = [{ sku: { $ilike: like } }, { name: { $ilike: like } }];
    }
    return keysetPage(ctx.em, Product, where, { key: 'sku', direction: 'asc', kind: 'string' }, first, after);
  }

  async get(ctx: MerchantContext, id: string): Promise<Product | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(Product, { id, merchant: ctx.actor.merchantId });
  }

  async create(ctx: MerchantContext, input: CreateProductInput): Promise<Product> {
    const data = parseInput(createProductSchema, input);
    const now = ctx.clock.now();
    const product = ctx.em.create(Product, {
      ...data,
      merchant: ctx.em.getReference(Merchant, ctx.actor.merchantId),
      createdAt: now,
      updatedAt: now,
    });
    await this.flushUnique(ctx, data.sku);
    return product;
  }

  async update(ctx: MerchantContext, id: string, input: UpdateProductInput): Promise<Product> {
    const data = parseInput(updateProductSchema, input);
    const product = await this.get(ctx, id);
    if (!product) throw notFound('Product');
    ctx.em.assign(product, { ...data, updatedAt: ctx.clock.now() });
    await this.flushUnique(ctx, data.sku ?? product.sku);
    return product;
  }

  private async flushUnique(ctx: MerchantContext, sku: string): Promise<void> {
    try {
      await ctx.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        ctx.em.clear();
        throw conflict(`A product with SKU ${sku} already exists`, 'sku');
      }
      throw error;
    }
  }
}
