import { findUnstorableText, isStorableInt, storableDeep, type NormalizedOrder } from '@handoff/shared';

export type StorableOrder = { ok: true; order: NormalizedOrder } | { ok: false; externalId: string; reason: string };

/** Column lengths of `order` / `order_item` an order must fit; ids are refused, text is cut. */
const ID_LENGTH = 200;
const NUMBER_LENGTH = 100;
const EMAIL_LENGTH = 320;
const NAME_LENGTH = 300;
const LANGUAGE_LENGTH = 20;
const SKU_LENGTH = 120;
const COUNTRY_LENGTH = 2;
const CURRENCY_LENGTH = 3;

/**
 * An order from a channel made fit for the database, or the reason it cannot be: text loses what
 * PostgreSQL cannot store (NUL, unpaired surrogates) and is cut to its column, while an id too long
 * or an amount beyond the integer columns refuses the order (cutting those would change its meaning).
 * Push inputs are validated before they get here; this keeps a provider's odd order from failing
 * the whole page it arrived on.
 */
export function storableOrder(incoming: NormalizedOrder): StorableOrder {
  // Most orders are clean: look before copying (imports are a hot path).
  const order = findUnstorableText(incoming) ? storableDeep(incoming) : incoming;
  const refuse = (reason: string): StorableOrder => ({ ok: false, externalId: order.externalId, reason });
  if (order.externalId.length > ID_LENGTH || order.items.some((i) => i.externalId.length > ID_LENGTH)) {
    return refuse(`an id is longer than ${ID_LENGTH} characters`);
  }
  if (order.currency.length > CURRENCY_LENGTH) return refuse('the currency is not an ISO-4217 code');
  const amounts = [
    order.total,
    order.taxTotal,
    ...order.items.flatMap((i) => [i.quantity, i.unitPrice, i.tax, i.refundedQuantity]),
  ];
  if (!amounts.every(isStorableInt)) return refuse('an amount or quantity is beyond the storable range');
  const cut = (text: string | null, length: number) => (text === null ? null : text.slice(0, length));
  const fits = (text: string | null, length: number) => (text !== null && text.length <= length ? text : null);
  return {
    ok: true,
    order: {
      ...order,
      number: order.number.slice(0, NUMBER_LENGTH),
      buyer: {
        email: fits(order.buyer.email, EMAIL_LENGTH),
        name: cut(order.buyer.name, NAME_LENGTH),
        language: fits(order.buyer.language, LANGUAGE_LENGTH),
        country: fits(order.buyer.country, COUNTRY_LENGTH),
      },
      items: order.items.map((item) => ({ ...item, sku: fits(item.sku, SKU_LENGTH) })),
      // Dates survive storableDeep; this keeps the original Date objects whatever it does.
      createdAt: incoming.createdAt,
      updatedAt: incoming.updatedAt,
      paidAt: incoming.paidAt,
    },
  };
}
