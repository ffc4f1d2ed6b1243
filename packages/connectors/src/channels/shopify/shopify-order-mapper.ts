import type { NormalizedOrder } from '@handoff/shared';
import { toMinorUnits } from '../common/money.js';
import { legacyId } from './shopify-ids.js';
import {
  describeShopifyStatus,
  mapShopifyStatus,
  restFulfillmentToEnum,
  type ShopifyStatusInput,
} from './shopify-status.js';
import type { ShopifyGqlOrder, ShopifyRestOrder } from './shopify-types.js';

const PAYMENT_KINDS = new Set(['SALE', 'CAPTURE']);

function fullName(first: string | null | undefined, last: string | null | undefined): string | null {
  const name = [first, last].filter((p) => p && p.trim() !== '').join(' ');
  return name === '' ? null : name;
}

function tally(pairs: Array<{ id: string; quantity: number }>): Map<string, number> {
  const refunded = new Map<string, number>();
  for (const { id, quantity } of pairs) refunded.set(id, (refunded.get(id) ?? 0) + quantity);
  return refunded;
}

/** Maps one Admin GraphQL order node. */
export function mapShopifyGqlOrder(node: ShopifyGqlOrder): NormalizedOrder {
  const currency = node.totalPriceSet.shopMoney.currencyCode || node.currencyCode;
  const statusInput: ShopifyStatusInput = {
    financial: node.displayFinancialStatus,
    fulfillment: node.displayFulfillmentStatus,
    cancelled: node.cancelledAt !== null,
    closed: node.closedAt !== null,
  };
  const refunded = tally(
    node.refunds.flatMap((r) =>
      r.refundLineItems.nodes.map((n) => ({ id: legacyId(n.lineItem.id), quantity: n.quantity })),
    ),
  );
  const payment = node.transactions.find((t) => PAYMENT_KINDS.has(t.kind) && t.status === 'SUCCESS');
  return {
    externalId: legacyId(node.id),
    number: node.name,
    status: mapShopifyStatus(statusInput),
    channelStatus: describeShopifyStatus(statusInput),
    buyer: {
      email: node.email ?? node.customer?.email ?? null,
      name: fullName(node.customer?.firstName, node.customer?.lastName) ?? node.billingAddress?.name ?? null,
      language: node.customerLocale,
      country: node.billingAddress?.countryCodeV2 ?? null,
    },
    currency,
    total: toMinorUnits(node.totalPriceSet.shopMoney.amount, currency),
    taxTotal: toMinorUnits(node.totalTaxSet?.shopMoney.amount, currency),
    items: node.lineItems.nodes.map((line) => {
      const id = legacyId(line.id);
      return {
        externalId: id,
        sku: line.sku || null,
        title: line.title,
        quantity: line.quantity,
        unitPrice: toMinorUnits(line.originalUnitPriceSet.shopMoney.amount, currency),
        tax: line.taxLines.reduce((sum, t) => sum + toMinorUnits(t.priceSet.shopMoney.amount, currency), 0),
        refundedQuantity: Math.min(line.quantity, refunded.get(id) ?? 0),
        cancelled: statusInput.cancelled,
      };
    }),
    createdAt: new Date(node.createdAt),
    updatedAt: new Date(node.updatedAt),
    paidAt: payment?.processedAt ? new Date(payment.processedAt) : null,
    tags: node.tags,
    raw: node,
  };
}

/**
 * Maps the REST order JSON that `orders/*` webhooks carry, to the same shape as a synced order.
 * REST webhooks have no transactions, so paidAt is the processing time of an order that counts as paid.
 */
export function mapShopifyRestOrder(order: ShopifyRestOrder): NormalizedOrder {
  const currency = order.currency;
  const statusInput: ShopifyStatusInput = {
    financial: order.financial_status ? order.financial_status.toUpperCase() : null,
    fulfillment: restFulfillmentToEnum(order.fulfillment_status),
    cancelled: order.cancelled_at !== null && order.cancelled_at !== undefined,
    closed: order.closed_at !== null && order.closed_at !== undefined,
  };
  const status = mapShopifyStatus(statusInput);
  const refunded = tally(
    (order.refunds ?? []).flatMap((r) =>
      r.refund_line_items.map((i) => ({ id: String(i.line_item_id), quantity: i.quantity })),
    ),
  );
  const paid = ['PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'].includes(statusInput.financial ?? '');
  return {
    externalId: String(order.id),
    number: order.name,
    status,
    channelStatus: describeShopifyStatus(statusInput),
    buyer: {
      email: order.email ?? order.contact_email ?? order.customer?.email ?? null,
      name: fullName(order.customer?.first_name, order.customer?.last_name) ?? order.billing_address?.name ?? null,
      language: order.customer_locale ?? null,
      country: order.billing_address?.country_code ?? null,
    },
    currency,
    total: toMinorUnits(order.total_price, currency),
    taxTotal: toMinorUnits(order.total_tax, currency),
    items: order.line_items.map((line) => ({
      externalId: String(line.id),
      sku: line.sku || null,
      title: line.title,
      quantity: line.quantity,
      unitPrice: toMinorUnits(line.price, currency),
      tax: (line.tax_lines ?? []).reduce((sum, t) => sum + toMinorUnits(t.price, currency), 0),
      refundedQuantity: Math.min(line.quantity, refunded.get(String(line.id)) ?? 0),
      cancelled: statusInput.cancelled,
    })),
    createdAt: new Date(order.created_at),
    updatedAt: new Date(order.updated_at),
    paidAt: paid && order.processed_at ? new Date(order.processed_at) : null,
    tags: order.tags
      ? order.tags
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== '')
      : [],
    raw: order,
  };
}
