/**
 * GraphQL ids are `gid://shopify/Order/123`, webhooks carry the bare 123. The hub keys orders and
 * lines by the numeric part so a webhook and a sync of the same order land on the same row.
 */
export function legacyId(id: string | number): string {
  const text = String(id);
  const slash = text.lastIndexOf('/');
  const tail = slash >= 0 ? text.slice(slash + 1) : text;
  const query = tail.indexOf('?');
  return query >= 0 ? tail.slice(0, query) : tail;
}

export function orderGid(id: string | number): string {
  return `gid://shopify/Order/${legacyId(id)}`;
}
