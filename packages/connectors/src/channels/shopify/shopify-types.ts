/** The subset of Admin GraphQL (2025-01) shapes the connector reads. */
export interface ShopifyMoneySet {
  shopMoney: { amount: string; currencyCode: string };
}

export interface ShopifyGqlLineItem {
  id: string;
  sku: string | null;
  title: string;
  quantity: number;
  originalUnitPriceSet: ShopifyMoneySet;
  taxLines: Array<{ priceSet: ShopifyMoneySet }>;
}

export interface ShopifyGqlOrder {
  id: string;
  name: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string | null;
  closedAt: string | null;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  currencyCode: string;
  customerLocale: string | null;
  tags: string[];
  totalPriceSet: ShopifyMoneySet;
  totalTaxSet: ShopifyMoneySet | null;
  customer: { firstName: string | null; lastName: string | null; email: string | null } | null;
  billingAddress: { countryCodeV2: string | null; name: string | null } | null;
  transactions: Array<{ kind: string; status: string; processedAt: string | null }>;
  refunds: Array<{ refundLineItems: { nodes: Array<{ quantity: number; lineItem: { id: string } }> } }>;
  lineItems: { nodes: ShopifyGqlLineItem[]; pageInfo: ShopifyPageInfo };
}

export interface ShopifyPageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ShopifyThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface ShopifyGqlResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  extensions?: {
    cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ShopifyThrottleStatus };
  };
}

/** REST-shaped order as webhooks deliver it (`orders/*` topics). */
export interface ShopifyRestOrder {
  id: number;
  name: string;
  email: string | null;
  contact_email?: string | null;
  created_at: string;
  updated_at: string;
  processed_at: string | null;
  closed_at: string | null;
  cancelled_at: string | null;
  financial_status: string | null;
  fulfillment_status: string | null;
  currency: string;
  customer_locale: string | null;
  tags: string;
  total_price: string;
  total_tax: string | null;
  customer?: { first_name: string | null; last_name: string | null; email: string | null } | null;
  billing_address?: { country_code: string | null; name: string | null } | null;
  line_items: Array<{
    id: number;
    sku: string | null;
    title: string;
    quantity: number;
    price: string;
    tax_lines: Array<{ price: string }>;
  }>;
  refunds: ShopifyRestRefund[];
}

/** `refunds/create` payload: a refund, not an order. */
export interface ShopifyRestRefund {
  id: number;
  order_id: number;
  created_at?: string;
  refund_line_items: Array<{ line_item_id: number; quantity: number }>;
}
