/**
 * Shopware answers in JSON:API (`application/vnd.api+json`) unless asked for plain JSON, and some
 * proxies drop the Accept header. This turns a JSON:API document into the plain entity shape:
 * attributes spread onto the object, relationships resolved from `included`.
 */
interface Resource {
  id: string;
  type: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: Ref | Ref[] | null }>;
}
interface Ref {
  id: string;
  type: string;
}

export function isJsonApiDocument(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const data = (body as { data?: unknown }).data;
  const first = Array.isArray(data) ? data[0] : data;
  return !!first && typeof first === 'object' && 'attributes' in (first as object) && 'type' in (first as object);
}

export function flattenJsonApi(body: {
  data: Resource[] | Resource;
  included?: Resource[];
  meta?: { total?: number };
}): {
  total: number;
  data: Array<Record<string, unknown>>;
} {
  const index = new Map<string, Resource>();
  for (const r of body.included ?? []) index.set(`${r.type}:${r.id}`, r);
  const list = Array.isArray(body.data) ? body.data : [body.data];
  for (const r of list) index.set(`${r.type}:${r.id}`, r);

  // Depth limit: relationships point back (order → lineItems → order); five levels cover what we read.
  function flatten(resource: Resource, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = { id: resource.id, ...resource.attributes };
    if (depth >= 5) return out;
    for (const [name, rel] of Object.entries(resource.relationships ?? {})) {
      if (rel.data === undefined) continue;
      const resolve = (ref: Ref) => {
        const found = index.get(`${ref.type}:${ref.id}`);
        return found ? flatten(found, depth + 1) : null;
      };
      if (Array.isArray(rel.data)) {
        out[name] = rel.data.map(resolve).filter((x) => x !== null);
      } else if (rel.data) {
        out[name] = resolve(rel.data);
      }
    }
    return out;
  }

  return { total: body.meta?.total ?? list.length, data: list.map((r) => flatten(r, 0)) };
}
