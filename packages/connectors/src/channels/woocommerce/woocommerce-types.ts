/** The subset of the WooCommerce REST v3 order resource the connector reads. */
export interface WooMeta {
  id?: number;
  key: string;
  value: unknown;
}

export interface WooLineItem {
  id: number;
  name: string;
  product_id: number;
  quantity: number;
  /** Line subtotal before discounts, tax excluded, decimal string. */
  subtotal: string;
  subtotal_tax: string;
  total: string;
  total_tax: string;
  sku: string | null;
  /** Unit price as a JSON number (rounded by WooCommerce; use subtotal for money). */
  price: number;
  meta_data: WooMeta[];
}

export interface WooOrder {
  id: number;
  number: string;
  status: string;
  currency: string;
  /** Site-local and GMT timestamps without a zone suffix ("2025-01-06T09:00:00"). */
  date_created_gmt: string;
  date_modified_gmt: string;
  date_paid_gmt: string | null;
  date_completed_gmt: string | null;
  total: string;
  total_tax: string;
  billing: { first_name: string; last_name: string; email: string; country: string; [other: string]: unknown };
  line_items: WooLineItem[];
  /** Totals only (negative); line-level detail lives at /orders/{id}/refunds. */
  refunds: Array<{ id: number; reason: string; total: string }>;
  meta_data: WooMeta[];
  [other: string]: unknown;
}

/** GET /orders/{id}/refunds entry; quantities and totals are negative. */
export interface WooRefund {
  id: number;
  amount: string;
  reason: string;
  line_items: Array<{ id: number; quantity: number; total: string; meta_data: WooMeta[] }>;
}
