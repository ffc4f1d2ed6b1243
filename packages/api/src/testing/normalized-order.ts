import type { HubStatus, NormalizedOrder, NormalizedOrderItem } from '@handoff/shared';

/** A plausible normalized order for tests; override what the test is about. */
export function normalizedOrder(
  externalId: string,
  overrides: Partial<Omit<NormalizedOrder, 'items'>> & {
    items?: Partial<NormalizedOrderItem>[];
    status?: HubStatus;
  } = {},
): NormalizedOrder {
  const updatedAt = overrides.updatedAt ?? new Date('2026-03-01T10:00:00Z');
  const items = (overrides.items ?? [{}, { externalId: `${externalId}-2`, sku: 'SKU-B', title: 'Second file' }]).map(
    (item, n): NormalizedOrderItem => ({
      externalId: `${externalId}-${n + 1}`,
      sku: 'SKU-A',
      title: 'E-book',
      quantity: 1,
      unitPrice: 1000,
      tax: 160,
      refundedQuantity: 0,
      cancelled: false,
      ...item,
    }),
  );
  return {
    externalId,
    number: `#${externalId}`,
    status: 'paid',
    channelStatus: 'paid',
    buyer: { email: 'buyer@example.com', name: 'Ada Buyer', language: 'de', country: 'DE' },
    currency: 'EUR',
    total: items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0),
    taxTotal: items.reduce((sum, i) => sum + i.tax, 0),
    createdAt: new Date('2026-03-01T09:00:00Z'),
    paidAt: new Date('2026-03-01T09:05:00Z'),
    tags: [],
    raw: { id: externalId },
    ...overrides,
    updatedAt,
    items,
  };
}
