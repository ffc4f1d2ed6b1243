/** Etsy's money object: `amount / divisor` in `currency_code` (divisor 100 for cents). */
export interface EtsyMoney {
  amount: number;
  divisor: number;
  currency_code: string;
}

/** The parts of a `ShopReceipt` the connector reads (the whole payload is kept as `raw`). */
export interface EtsyReceipt {
  receipt_id: number;
  status: string;
  is_paid: boolean;
  is_shipped: boolean;
  buyer_email?: string | null;
  name?: string | null;
  country_iso?: string | null;
  created_timestamp: number;
  updated_timestamp: number;
  create_timestamp?: number;
  update_timestamp?: number;
  grandtotal: EtsyMoney;
  total_tax_cost?: EtsyMoney;
  total_vat_cost?: EtsyMoney;
  transactions: EtsyTransaction[];
  refunds?: Array<{ amount: EtsyMoney; created_timestamp: number; reason?: string | null; status?: string }>;
  [more: string]: unknown;
}

export interface EtsyTransaction {
  transaction_id: number;
  title: string | null;
  sku: string | null;
  quantity: number;
  price: EtsyMoney;
  paid_timestamp?: number | null;
  shipped_timestamp?: number | null;
  is_digital?: boolean;
  [more: string]: unknown;
}

export interface EtsyReceiptsResponse {
  count: number;
  results: EtsyReceipt[];
}

export interface EtsyTokenResponse {
  access_token: string;
  token_type?: string;
  expires_in: number;
  refresh_token?: string;
}
