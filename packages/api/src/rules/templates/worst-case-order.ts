/** The large order a template must render within the limits before it is saved. */
export const WORST_CASE = { lines: 250, downloads: 250, licenseKeys: 50 };

const text = (label: string, i: number) => `${label} ${i} `.padEnd(120, 'x');

/** Template data (the shape of template-data.ts) of an order at the size limits of WORST_CASE. */
export function worstCaseData(): Record<string, unknown> {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  return {
    order: { number: 'WORST-CASE-0001', date: 'December 6, 2026', status: 'paid', currency: 'EUR' },
    buyer: { name: text('Buyer', 1), email: 'buyer@example.com', language: 'en', country: 'DE' },
    items: range(WORST_CASE.lines).map((i) => ({
      title: text('Item', i),
      sku: `SKU-${i}`,
      quantity: i,
      price: '€1,234.56',
      total: '€12,345.60',
    })),
    totals: { total: '€1,234,567.89', tax: '€123,456.78', currency: 'EUR' },
    portal: { url: 'https://portal.example.com/p/'.padEnd(60, 'x') },
    downloads: range(WORST_CASE.downloads).map((i) => ({
      file_name: text('File', i),
      item: text('Item', i),
      remaining: 5,
      limit: 5,
      expires: 'January 5, 2027',
    })),
    license_keys: range(WORST_CASE.licenseKeys).map((i) => ({
      key: `KEY-${i}`.padEnd(40, 'X'),
      product: text('Item', i),
    })),
    invoice: { url: 'https://portal.example.com/invoice' },
    merchant: { name: text('Merchant', 1), contact_email: 'support@example.com' },
  };
}
