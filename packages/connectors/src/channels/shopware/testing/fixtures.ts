import type { ShopwareLineItem, ShopwareOrder, ShopwareTransaction } from '../shopware-types.js';

/**
 * Orders shaped like Shopware 6 Admin API entities (hex ids, float money with calculated taxes,
 * state machine states, association objects carrying their own ids).
 */
export interface ShopwareOrderSeed {
  currency?: string;
  unitPrice?: number;
  quantity?: number;
  lineCount?: number;
  taxRate?: number;
  payment?: string;
  orderState?: string;
  createdAt?: Date;
}

const BASE_TIME = Date.parse('2025-01-06T09:00:00Z');

export function shopwareId(kind: number, n: number): string {
  return `${kind.toString(16).padStart(4, '0')}${n.toString(16).padStart(28, '0')}`;
}

/** State machine states are shared rows in Shopware: one id per technical name. */
export function shopwareState(technicalName: string) {
  const n = [...technicalName].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return { id: shopwareId(7, n), technicalName, name: technicalName };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function digitsOf(currency: string): number {
  return currency === 'JPY' ? 0 : currency === 'KWD' ? 3 : 2;
}

export function makeShopwareOrder(n: number, seed: ShopwareOrderSeed = {}): ShopwareOrder {
  const currency = seed.currency ?? 'EUR';
  const digits = digitsOf(currency);
  const unitPrice = seed.unitPrice ?? 19.99;
  const quantity = seed.quantity ?? 1;
  const taxRate = seed.taxRate ?? 19;
  const created = (seed.createdAt ?? new Date(BASE_TIME + n * 60_000)).toISOString();
  const lines: ShopwareLineItem[] = Array.from({ length: seed.lineCount ?? 1 }, (_, i) => {
    const totalPrice = round(unitPrice * quantity, digits);
    const tax = round((totalPrice * taxRate) / (100 + taxRate), digits);
    return {
      id: shopwareId(2, n * 10 + i),
      identifier: shopwareId(9, (n + i) % 5),
      referencedId: shopwareId(9, (n + i) % 5),
      type: 'product',
      label: `Sample pack ${((n + i) % 5) + 1}`,
      quantity,
      unitPrice,
      totalPrice,
      payload: { productNumber: `SW1000${(n + i) % 5}` },
      price: { unitPrice, totalPrice, quantity, calculatedTaxes: [{ tax, taxRate, price: totalPrice }] },
      parentId: null,
    } as ShopwareLineItem;
  });
  const amountTotal = round(
    lines.reduce((s, l) => s + l.totalPrice, 0),
    digits,
  );
  const taxTotal = round(
    lines.reduce((s, l) => s + (l.price?.calculatedTaxes[0]?.tax ?? 0), 0),
    digits,
  );
  return {
    id: shopwareId(1, n),
    orderNumber: String(10000 + n),
    orderDateTime: created,
    createdAt: created,
    updatedAt: null,
    amountTotal,
    amountNet: round(amountTotal - taxTotal, digits),
    price: {
      totalPrice: amountTotal,
      netPrice: round(amountTotal - taxTotal, digits),
      calculatedTaxes: [{ tax: taxTotal, taxRate, price: amountTotal }],
      taxStatus: 'gross',
    } as ShopwareOrder['price'],
    stateMachineState: shopwareState(seed.orderState ?? 'open'),
    currency: { id: shopwareId(5, 1), isoCode: currency, symbol: currency } as ShopwareOrder['currency'],
    language:
      n % 2
        ? ({
            id: shopwareId(6, 1),
            name: 'Deutsch',
            locale: { id: shopwareId(6, 11), code: 'de-DE' },
          } as ShopwareOrder['language'])
        : ({
            id: shopwareId(6, 2),
            name: 'English',
            locale: { id: shopwareId(6, 12), code: 'en-GB' },
          } as ShopwareOrder['language']),
    orderCustomer: {
      id: shopwareId(3, n),
      email: `kunde${n}@example.com`,
      firstName: 'Max',
      lastName: `Mustermann ${n}`,
    } as ShopwareOrder['orderCustomer'],
    billingAddress: {
      id: shopwareId(4, n),
      country: { id: shopwareId(4, 0), iso: 'DE' },
    } as ShopwareOrder['billingAddress'],
    lineItems: lines,
    transactions: [
      {
        id: shopwareId(8, n * 10),
        createdAt: new Date(Date.parse(created) + 1000).toISOString(),
        stateMachineState: shopwareState(seed.payment ?? 'paid'),
      } as ShopwareTransaction,
    ],
    tags: [],
  };
}

export function makeShopwareOrders(count: number, first = 1, seed: ShopwareOrderSeed = {}): ShopwareOrder[] {
  return Array.from({ length: count }, (_, i) => makeShopwareOrder(first + i, seed));
}

/** Moves the newest transaction to `state` (paid → refunded_partially, …). */
export function setShopwarePayment(order: ShopwareOrder, state: string): void {
  const latest = [...(order.transactions ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!latest) throw new Error(`order ${order.orderNumber} has no transaction`);
  latest.stateMachineState = shopwareState(state);
}

/** A new payment attempt, e.g. after the first one was cancelled. */
export function addShopwareTransaction(order: ShopwareOrder, state: string, at: Date): void {
  order.transactions = [
    ...(order.transactions ?? []),
    {
      id: shopwareId(8, Number.parseInt(order.id.slice(4), 16) * 10 + (order.transactions?.length ?? 0)),
      createdAt: at.toISOString(),
      stateMachineState: shopwareState(state),
    },
  ];
}

export function setShopwareOrderState(order: ShopwareOrder, state: string): void {
  order.stateMachineState = shopwareState(state);
}
