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

/** An order_item row as raw SQL returns it (column names). */
export interface OrderItemRow {
  id: string;
  order_id: string;
  external_id: string;
  sku: string | null;
  title: string;
  quantity: number;
  unit_price: number;
  tax: number;
  refunded_quantity: number;
  cancelled: boolean;
  product_id: string | null;
}

/** A product as grants see it. */
export type ProductFacts = Pick<Product, 'id' | 'digital' | 'downloadLimit' | 'downloadValidityDays'>;

/** An order line with its product, as plain values (an OrderItem entity is one too). */
export type OrderLineFacts = Pick<
  OrderItem,
  'id' | 'externalId' | 'sku' | 'title' | 'quantity' | 'unitPrice' | 'refundedQuantity' | 'cancelled'
> & { product: ProductFacts | null };
