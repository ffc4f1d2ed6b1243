import {
  findUnstorableText,
  HUB_STATUSES,
  isPaidStatus,
  MAX_STORABLE_INT,
  type HubStatus,
  type NormalizedOrder,
} from '@handoff/shared';

/** One order pushed through the API's importOrders mutation. Money is integer minor units. */
export interface GenericOrderInput {
  externalId: string;
  number?: string;
  status?: HubStatus;
  buyer?: { email?: string | null; name?: string | null; language?: string | null; country?: string | null };
  currency: string;
  items: Array<{
    externalId?: string;
    sku?: string | null;
    title: string;
    quantity: number;
    unitPrice: number;
    tax?: number;
  }>;
  /** ISO-8601 instants. */
  createdAt: string;
  updatedAt?: string;
  tags?: string[];
}

export interface InputIssue {
  /** Path into the input, zod style: ['items', 0, 'quantity']. */
  path: Array<string | number>;
  message: string;
}

export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: { issues: InputIssue[] } };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const optionalString = (v: unknown) => v === undefined || v === null || typeof v === 'string';

function check(input: unknown): InputIssue[] {
  const issues: InputIssue[] = [];
  const issue = (path: InputIssue['path'], message: string) => issues.push({ path, message });
  if (!isObj(input)) return [{ path: [], message: 'Expected an object' }];
  const unstorable = findUnstorableText(input);
  if (unstorable) issue(unstorable.path, `Text ${unstorable.reason}`);

  if (typeof input.externalId !== 'string' || input.externalId.trim() === '' || input.externalId.length > 200) {
    issue(['externalId'], 'Required: 1 to 200 characters');
  }
  if (input.number !== undefined && (typeof input.number !== 'string' || input.number.length > 100))
    issue(['number'], 'Expected a string of at most 100 characters');
  if (input.status !== undefined && !(HUB_STATUSES as readonly unknown[]).includes(input.status)) {
    issue(['status'], `Expected one of ${HUB_STATUSES.join(', ')}`);
  }
  if (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency))
    issue(['currency'], 'Expected an ISO-4217 code like EUR');
  if (input.buyer !== undefined) {
    if (!isObj(input.buyer)) issue(['buyer'], 'Expected an object');
    else {
      const b = input.buyer;
      for (const key of ['email', 'name', 'language', 'country'] as const) {
        if (!optionalString(b[key])) issue(['buyer', key], 'Expected a string or null');
      }
      if (typeof b.email === 'string' && !/^[^\s@]+@[^\s@]+$/.test(b.email)) issue(['buyer', 'email'], 'Invalid email');
      if (typeof b.country === 'string' && !/^[A-Z]{2}$/.test(b.country))
        issue(['buyer', 'country'], 'Expected an ISO-3166 alpha-2 code');
    }
  }
  if (!Array.isArray(input.items) || input.items.length === 0) issue(['items'], 'At least one item is required');
  else {
    input.items.forEach((item: unknown, i) => {
      if (!isObj(item)) return issue(['items', i], 'Expected an object');
      if (typeof item.title !== 'string' || item.title.trim() === '') issue(['items', i, 'title'], 'Required');
      if (!isInt(item.quantity) || item.quantity < 1) issue(['items', i, 'quantity'], 'Expected a whole number ≥ 1');
      if (!isInt(item.unitPrice) || item.unitPrice < 0)
        issue(['items', i, 'unitPrice'], 'Expected minor units (whole number ≥ 0)');
      if (item.tax !== undefined && (!isInt(item.tax) || item.tax < 0))
        issue(['items', i, 'tax'], 'Expected minor units (whole number ≥ 0)');
      if (item.externalId !== undefined && typeof item.externalId !== 'string')
        issue(['items', i, 'externalId'], 'Expected a string');
      if (!optionalString(item.sku)) issue(['items', i, 'sku'], 'Expected a string or null');
    });
    const items: unknown[] = input.items;
    const sum = (line: (item: Obj) => number) =>
      items.reduce<number>((total, item) => total + (isObj(item) ? line(item) || 0 : 0), 0);
    // Amounts are integers in the database: a total past its range is refused, never wrapped or rounded.
    if (sum((item) => Number(item.unitPrice) * Number(item.quantity)) > MAX_STORABLE_INT)
      issue(['items'], `The order total (Σ unitPrice × quantity) exceeds ${MAX_STORABLE_INT} minor units`);
    if (sum((item) => Number(item.tax ?? 0)) > MAX_STORABLE_INT)
      issue(['items'], `The order's tax exceeds ${MAX_STORABLE_INT} minor units`);
  }
  // createdAt is required: a default of "now" would make every repeated push look like a change.
  if (input.createdAt === undefined || input.createdAt === null)
    issue(['createdAt'], 'Required (ISO-8601 date-time of the order)');
  for (const key of ['createdAt', 'updatedAt'] as const) {
    const v = input[key];
    if (v !== undefined && v !== null && (typeof v !== 'string' || Number.isNaN(Date.parse(v))))
      issue([key], 'Expected an ISO-8601 date-time');
  }
  if (input.tags !== undefined && !(Array.isArray(input.tags) && input.tags.every((t) => typeof t === 'string'))) {
    issue(['tags'], 'Expected a list of strings');
  }
  return issues;
}

/**
 * Validation for importOrders input with zod's `safeParse`/`parse` surface (issues carry `path` and
 * `message`), so resolvers map issues to userErrors the same way. Hand-written because zod is not a
 * dependency of this package; swapping in a real zod schema later changes no caller.
 */
export const genericOrderInputSchema = {
  safeParse(input: unknown): SafeParseResult<GenericOrderInput> {
    const issues = check(input);
    return issues.length ? { success: false, error: { issues } } : { success: true, data: input as GenericOrderInput };
  },
  parse(input: unknown): GenericOrderInput {
    const result = this.safeParse(input);
    if (!result.success) {
      const text = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new TypeError(`Invalid order input: ${text}`);
    }
    return result.data;
  },
};

/** Turns validated input into the hub's order shape; defaults match the CSV import. */
export function genericInputToOrder(input: GenericOrderInput, now: () => Date = () => new Date()): NormalizedOrder {
  const status = input.status ?? 'paid';
  const createdAt = input.createdAt ? new Date(input.createdAt) : now();
  const items = input.items.map((item, i) => ({
    externalId: item.externalId ?? `${input.externalId}:${i + 1}`,
    sku: item.sku ?? null,
    title: item.title,
    quantity: item.quantity,
    unitPrice: item.unitPrice,
    tax: item.tax ?? 0,
    refundedQuantity: status === 'refunded' ? item.quantity : 0,
    cancelled: status === 'cancelled',
  }));
  return {
    externalId: input.externalId,
    number: input.number ?? input.externalId,
    status,
    channelStatus: status,
    buyer: {
      email: input.buyer?.email ?? null,
      name: input.buyer?.name ?? null,
      language: input.buyer?.language ?? null,
      country: input.buyer?.country ?? null,
    },
    currency: input.currency,
    total: items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0),
    taxTotal: items.reduce((sum, i) => sum + i.tax, 0),
    items,
    createdAt,
    updatedAt: input.updatedAt ? new Date(input.updatedAt) : createdAt,
    paidAt: isPaidStatus(status) ? createdAt : null,
    tags: input.tags ?? [],
    raw: input,
  };
}
