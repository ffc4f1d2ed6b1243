/** Renders plain entities as the JSON:API document Shopware sends for `application/vnd.api+json`. */
interface Resource {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, { data: { id: string; type: string } | Array<{ id: string; type: string }> | null }>;
}

const TYPES: Record<string, string> = {
  lineItems: 'order_line_item',
  transactions: 'order_transaction',
  stateMachineState: 'state_machine_state',
  orderCustomer: 'order_customer',
  currency: 'currency',
  language: 'language',
  locale: 'locale',
  billingAddress: 'order_address',
  country: 'country',
  tags: 'tag',
};

function isEntity(value: unknown): value is Record<string, unknown> & { id: string } {
  return (
    !!value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { id?: unknown }).id === 'string'
  );
}

export function toJsonApi(entities: Array<Record<string, unknown> & { id: string }>, type: string, total: number) {
  const included = new Map<string, Resource>();

  function render(entity: Record<string, unknown> & { id: string }, entityType: string): Resource {
    const resource: Resource = { id: entity.id, type: entityType, attributes: {}, relationships: {} };
    for (const [key, value] of Object.entries(entity)) {
      if (key === 'id') continue;
      const relType = TYPES[key];
      if (relType && Array.isArray(value) && value.every(isEntity)) {
        resource.relationships[key] = { data: value.map((v) => include(v, relType)) };
      } else if (relType && isEntity(value)) {
        resource.relationships[key] = { data: include(value, relType) };
      } else if (relType && value === null) {
        resource.relationships[key] = { data: null };
      } else {
        resource.attributes[key] = value;
      }
    }
    return resource;
  }

  function include(entity: Record<string, unknown> & { id: string }, entityType: string) {
    const key = `${entityType}:${entity.id}`;
    if (!included.has(key)) included.set(key, render(entity, entityType));
    return { id: entity.id, type: entityType };
  }

  return { data: entities.map((e) => render(e, type)), included: [...included.values()], meta: { total }, links: {} };
}
