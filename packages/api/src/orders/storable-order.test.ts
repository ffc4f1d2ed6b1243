import { describe, expect, it } from 'vitest';
import { normalizedOrder } from '../testing/normalized-order.js';
import { storableOrder } from './storable-order.js';

describe('storableOrder (orders from channels, made fit for the database)', () => {
  it('passes a clean order through as it is', () => {
    const order = normalizedOrder('A1');
    expect(storableOrder(order)).toEqual({ ok: true, order });
  });

  it('cleans text PostgreSQL refuses everywhere, the raw payload included, and keeps the dates', () => {
    const order = normalizedOrder('A2');
    order.buyer.name = 'Ma\u0000ria';
    order.items[0]!.title = 'Book \uD800';
    order.raw = { note: 'x\u0000', list: ['\uDC00'] };
    const checked = storableOrder(order);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.order.buyer.name).toBe('Maria');
    expect(checked.order.items[0]!.title).toBe('Book \uFFFD');
    expect(checked.order.raw).toEqual({ note: 'x', list: ['\uFFFD'] });
    expect(checked.order.createdAt).toBeInstanceOf(Date);
    expect(checked.order.createdAt.getTime()).toBe(order.createdAt.getTime());
  });

  it('cuts over-long text to its column; a value that cannot be cut meaningfully becomes null', () => {
    const order = normalizedOrder('A3');
    order.number = 'N'.repeat(150);
    order.buyer.email = `${'e'.repeat(400)}@example.com`;
    order.items[0]!.sku = 'S'.repeat(200);
    const checked = storableOrder(order);
    expect(checked).toMatchObject({ ok: true, order: { number: 'N'.repeat(100), buyer: { email: null } } });
    if (checked.ok) expect(checked.order.items[0]!.sku).toBeNull();
  });

  it.each([
    ['a total beyond 2^31-1', (o: ReturnType<typeof normalizedOrder>) => void (o.total = 9_999_999_999_900)],
    ['a line price beyond it', (o: ReturnType<typeof normalizedOrder>) => void (o.items[0]!.unitPrice = 2 ** 31)],
    ['a fractional amount', (o: ReturnType<typeof normalizedOrder>) => void (o.taxTotal = 1.5)],
    [
      'an id longer than its column',
      (o: ReturnType<typeof normalizedOrder>) => void (o.items[0]!.externalId = 'x'.repeat(201)),
    ],
  ])('refuses the order for %s, naming it', (_what, spoil) => {
    const order = normalizedOrder('A4');
    spoil(order);
    expect(storableOrder(order)).toMatchObject({ ok: false, externalId: 'A4' });
  });
});
