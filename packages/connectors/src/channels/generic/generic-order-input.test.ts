import { describe, expect, it } from 'vitest';
import { genericInputToOrder, genericOrderInputSchema } from './generic-order-input.js';

const valid = {
  externalId: 'INV-9',
  currency: 'EUR',
  buyer: { email: 'eva@example.com', country: 'AT' },
  items: [
    { sku: 'EB-1', title: 'E-book', quantity: 2, unitPrice: 1250, tax: 200 },
    { title: 'Bonus', quantity: 1, unitPrice: 0 },
  ],
  createdAt: '2025-04-01T10:00:00Z',
};

describe('genericOrderInputSchema', () => {
  it('accepts a valid order and maps it like the CSV import', () => {
    const result = genericOrderInputSchema.safeParse(valid);
    expect(result.success).toBe(true);
    const order = genericInputToOrder(genericOrderInputSchema.parse(valid));
    expect(order).toMatchObject({ externalId: 'INV-9', number: 'INV-9', status: 'paid', total: 2500, taxTotal: 200 });
    expect(order.items.map((i) => i.externalId)).toEqual(['INV-9:1', 'INV-9:2']);
    expect(order.paidAt).toEqual(new Date('2025-04-01T10:00:00Z'));
  });

  it('reports each problem with a path, zod style', () => {
    const result = genericOrderInputSchema.safeParse({
      externalId: '',
      currency: 'euro',
      status: 'done',
      buyer: { email: 'nope' },
      items: [{ title: 'x', quantity: 0, unitPrice: 12.5 }],
      createdAt: 'yesterday',
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((i) => i.path.join('.'))).toEqual([
      'externalId',
      'status',
      'currency',
      'buyer.email',
      'items.0.quantity',
      'items.0.unitPrice',
      'createdAt',
    ]);
    expect(() => genericOrderInputSchema.parse({})).toThrow(/externalId: Required/);
  });

  it('refuses text the database cannot store and totals beyond its integers, naming the field', () => {
    const issues = (input: unknown) => {
      const result = genericOrderInputSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
    };
    expect(issues({ ...valid, buyer: { name: 'Eva\u0000' } })).toEqual(['buyer.name']);
    expect(issues({ ...valid, tags: ['ok', 'x\uD800'] })).toEqual(['tags.1']);
    expect(issues({ ...valid, number: 'N'.repeat(101) })).toEqual(['number']);
    const bulk = { title: 'Bulk', quantity: 2, unitPrice: 2_000_000_000, tax: 2_000_000_000 };
    expect(issues({ ...valid, items: [bulk, bulk] })).toEqual(['items', 'items']);
  });
});
