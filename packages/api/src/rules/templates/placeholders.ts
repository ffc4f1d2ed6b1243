/**
 * Every placeholder a template may use, as a tree: objects name their keys, lists hold the shape
 * of one element. Saving a template that reaches for anything else is refused.
 */
export type Shape = 'value' | { list: Shape } | { fields: { [key: string]: Shape } };

const value = 'value' as const;
const fields = (f: { [key: string]: Shape }): Shape => ({ fields: f });
const list = (of: Shape): Shape => ({ list: of });

export const PLACEHOLDERS: { [root: string]: Shape } = {
  order: fields({ number: value, date: value, status: value, currency: value }),
  buyer: fields({ name: value, email: value, language: value, country: value }),
  items: list(fields({ title: value, sku: value, quantity: value, price: value, total: value })),
  totals: fields({ total: value, tax: value, currency: value }),
  portal: fields({ url: value }),
  downloads: list(fields({ file_name: value, item: value, remaining: value, limit: value, expires: value })),
  license_keys: list(fields({ key: value, product: value })),
  invoice: fields({ url: value }),
  merchant: fields({ name: value, contact_email: value, accent_color: value, accent_text_color: value }),
};

const ELEMENT_ACCESS = new Set(['first', 'last']);

/** The unknown part of one variable path (`items[0].titel` → "items.[].titel"), or null when known. */
export function unknownPlaceholder(segments: unknown[]): string | null {
  const name = (upTo: number) =>
    segments
      .slice(0, upTo)
      .map((s) => (typeof s === 'string' ? s : '[]'))
      .join('.');
  const root = segments[0];
  if (typeof root !== 'string' || !Object.hasOwn(PLACEHOLDERS, root)) return name(1);
  let shape: Shape = PLACEHOLDERS[root]!;
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (segment === 'size' && last) return null; // strings and lists both have a size
    if (shape === 'value') return name(i + 1);
    if ('list' in shape) {
      if (typeof segment === 'string' && !ELEMENT_ACCESS.has(segment)) return name(i + 1);
      shape = shape.list; // an index, a variable index, first or last
      continue;
    }
    if (typeof segment !== 'string' || !Object.hasOwn(shape.fields, segment)) return name(i + 1);
    shape = shape.fields[segment]!;
  }
  return null;
}
