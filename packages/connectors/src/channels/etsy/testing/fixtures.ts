import type { EtsyMoney, EtsyReceipt, EtsyTransaction } from '../etsy-types.js';

/** Options for one generated receipt; the result follows the shape of Etsy's getShopReceipts example. */
export interface EtsyReceiptSeed {
  index: number;
  currency?: string;
  /** Divisor Etsy uses for the currency (100 for cents, 1 for JPY). */
  divisor?: number;
  /** Unit prices in the currency's `amount` (already multiplied by divisor), one transaction each. */
  unitAmounts?: number[];
  quantities?: number[];
  taxAmount?: number;
  createdAt?: number;
  updatedAt?: number;
  email?: string | null;
}

/** 2025-03-01T10:00:00Z in unix seconds. */
export const ETSY_BASE_TIME = 1_740_823_200;
export const ETSY_SHOP_ID = 12345678;

export function etsyReceiptId(index: number): number {
  return 3_000_000_000 + index;
}

function money(amount: number, divisor: number, currency: string): EtsyMoney {
  return { amount, divisor, currency_code: currency };
}

export function makeEtsyReceipt(seed: EtsyReceiptSeed): EtsyReceipt {
  const currency = seed.currency ?? 'USD';
  const divisor = seed.divisor ?? (currency === 'JPY' ? 1 : 100);
  const created = seed.createdAt ?? ETSY_BASE_TIME + seed.index * 60;
  const updated = seed.updatedAt ?? created;
  const receiptId = etsyReceiptId(seed.index);
  const amounts = seed.unitAmounts ?? [1500];
  const transactions: EtsyTransaction[] = amounts.map((unit, n) => ({
    transaction_id: 4_000_000_000 + seed.index * 10 + n,
    title: `Printable Planner ${n + 1}`,
    description: 'Instant download PDF',
    seller_user_id: 11111111,
    buyer_user_id: 22220000 + seed.index,
    create_timestamp: created,
    created_timestamp: created,
    paid_timestamp: created,
    shipped_timestamp: null,
    quantity: seed.quantities?.[n] ?? 1,
    listing_image_id: 5_000_000_000 + n,
    receipt_id: receiptId,
    is_digital: true,
    file_data: '1 PDF file',
    listing_id: 1_500_000_000 + n,
    transaction_type: 'listing',
    product_id: 6_000_000_000 + n,
    sku: `PLANNER-${n + 1}`,
    price: money(unit, divisor, currency),
    shipping_cost: money(0, divisor, currency),
    variations: [],
    product_data: [],
    shipping_profile_id: null,
    min_processing_days: null,
    max_processing_days: null,
    shipping_method: null,
    shipping_upgrade: null,
    expected_ship_date: null,
    buyer_coupon: 0,
    shop_coupon: 0,
  }));
  const subtotal = transactions.reduce((s, t) => s + t.price.amount * t.quantity, 0);
  const tax = seed.taxAmount ?? 0;
  const email = seed.email === undefined ? `buyer${seed.index}@example.com` : seed.email;
  return {
    receipt_id: receiptId,
    receipt_type: 0,
    seller_user_id: 11111111,
    seller_email: 'shop@example.com',
    buyer_user_id: 22220000 + seed.index,
    ...(email ? { buyer_email: email } : {}),
    name: `Buyer ${seed.index}`,
    first_line: '1 Main St',
    second_line: null,
    city: 'Brooklyn',
    state: 'NY',
    zip: '11201',
    status: 'paid',
    formatted_address: `Buyer ${seed.index}\n1 Main St\nBrooklyn, NY 11201\nUnited States`,
    country_iso: 'US',
    payment_method: 'cc',
    payment_email: '',
    message_from_seller: null,
    message_from_buyer: null,
    message_from_payment: null,
    is_paid: true,
    is_shipped: false,
    create_timestamp: created,
    created_timestamp: created,
    update_timestamp: updated,
    updated_timestamp: updated,
    is_gift: false,
    gift_message: '',
    gift_sender: '',
    grandtotal: money(subtotal + tax, divisor, currency),
    subtotal: money(subtotal, divisor, currency),
    total_price: money(subtotal, divisor, currency),
    total_shipping_cost: money(0, divisor, currency),
    total_tax_cost: money(tax, divisor, currency),
    total_vat_cost: money(0, divisor, currency),
    discount_amt: money(0, divisor, currency),
    gift_wrap_price: money(0, divisor, currency),
    shipments: [],
    transactions,
    refunds: [],
  };
}

/** `count` receipts created a minute apart, indexes starting at `from`. */
export function makeEtsyReceipts(count: number, from = 1, seed: Omit<EtsyReceiptSeed, 'index'> = {}): EtsyReceipt[] {
  return Array.from({ length: count }, (_, i) => makeEtsyReceipt({ ...seed, index: from + i }));
}

function touched(receipt: EtsyReceipt, at: number): EtsyReceipt {
  return { ...structuredClone(receipt), update_timestamp: at, updated_timestamp: at };
}

export function refundEtsyReceipt(receipt: EtsyReceipt, at: number): EtsyReceipt {
  const next = touched(receipt, at);
  next.status = 'fully refunded';
  next.refunds = [{ amount: next.grandtotal, created_timestamp: at, reason: 'Buyer request', status: 'COMPLETED' }];
  return next;
}

export function partiallyRefundEtsyReceipt(receipt: EtsyReceipt, amount: number, at: number): EtsyReceipt {
  const next = touched(receipt, at);
  next.status = 'partially refunded';
  next.refunds = [
    { amount: { ...next.grandtotal, amount }, created_timestamp: at, reason: 'Goodwill', status: 'COMPLETED' },
  ];
  return next;
}

export function cancelEtsyReceipt(receipt: EtsyReceipt, at: number): EtsyReceipt {
  const next = touched(receipt, at);
  next.status = 'canceled';
  return next;
}

export function completeEtsyReceipt(receipt: EtsyReceipt, at: number): EtsyReceipt {
  const next = touched(receipt, at);
  next.status = 'completed';
  next.is_shipped = true;
  for (const t of next.transactions) t.shipped_timestamp = at;
  return next;
}

/** An unpaid receipt (`open`, not paid), as Etsy shows checkouts awaiting payment. */
export function unpaidEtsyReceipt(receipt: EtsyReceipt): EtsyReceipt {
  const next = structuredClone(receipt);
  next.status = 'payment processing';
  next.is_paid = false;
  for (const t of next.transactions) t.paid_timestamp = null;
  return next;
}
