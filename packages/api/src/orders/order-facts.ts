import type { Product } from '../catalog/product.entity.js';
import type { OrderItem } from './order-item.entity.js';
import type { Order } from './order.entity.js';

/**
 * What batch jobs (rules, templates, grants) read of an order, as plain values: loading hundreds of
 * orders as entities costs more CPU than the rest of a rule run. An Order entity is one too, so
 * the console paths pass entities.
 */
export type OrderFacts = Pick<
  Order,
  | 'id'
  | 'externalId'
  | 'number'
  | 'status'
  | 'currency'
  | 'total'
  | 'taxTotal'
  | 'placedAt'
  | 'buyerEmail'
  | 'buyerName'
  | 'buyerLanguage'
  | 'buyerCountry'
  | 'tags'
> & { merchant: { id: string }; connection: { id: string } };

/** A product as grants see it. */
export type ProductFacts = Pick<Product, 'id' | 'digital' | 'downloadLimit' | 'downloadValidityDays'>;

/** An order line with its product, as plain values (an OrderItem entity is one too). */
export type OrderLineFacts = Pick<
  OrderItem,
  'id' | 'externalId' | 'sku' | 'title' | 'quantity' | 'unitPrice' | 'refundedQuantity' | 'cancelled'
> & { product: ProductFacts | null };
