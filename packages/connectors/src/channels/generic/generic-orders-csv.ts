import {
  HUB_STATUSES,
  isPaidStatus,
  isStorableInt,
  MAX_STORABLE_INT,
  unstorableText,
  type HubStatus,
  type NormalizedOrder,
  type NormalizedOrderItem,
} from '@handoff/shared';
import { toMinorUnits } from '../common/money.js';
import { readCsvRecords } from './csv-records.js';

export const GENERIC_CSV_COLUMNS = [
  'external_id',
  'number',
  'status',
  'buyer_email',
  'buyer_name',
  'buyer_language',
  'buyer_country',
  'currency',
  'sku',
  'title',
  'quantity',
  'unit_price',
  'tax',
  'created_at',
  'updated_at',
] as const;
type Column = (typeof GENERIC_CSV_COLUMNS)[number];

const REQUIRED: Column[] = ['external_id', 'currency', 'title', 'quantity', 'unit_price'];
/** Fields that belong to the order: every row of one order must agree on them. */
const ORDER_FIELDS: Column[] = [
  'number',
  'status',
  'buyer_email',
  'buyer_name',
  'buyer_language',
  'buyer_country',
  'currency',
  'created_at',
  'updated_at',
];

export interface CsvRowError {
  line: number;
  message: string;
}

export interface ParseOrdersCsvResult {
  orders: NormalizedOrder[];
  errors: CsvRowError[];
}

export interface ParseOrdersCsvOptions {
  /** Used for created_at when the column is empty. */
  now?: () => Date;
  /** Status when the column is empty (default `paid`: pushed orders are usually settled sales). */
  defaultStatus?: HubStatus;
}

type Row = { line: number; values: Record<Column, string> };

/**
 * Parses the generic channel's CSV. One row = one order line; rows sharing external_id form one
 * order. `unit_price` and `tax` are decimals in the currency (unit price as charged, tax of the whole
 * line); the order total is Σ unit_price × quantity. A row with a problem is reported with its line
 * number, and the other rows of that order are reported as skipped: an order is imported whole or
 * not at all.
 */
export function parseOrdersCsv(text: string, options: ParseOrdersCsvOptions = {}): ParseOrdersCsvResult {
  const now = options.now ?? (() => new Date());
  const { records, errors } = readCsvRecords(text);
  const [header, ...body] = records;
  if (!header) return { orders: [], errors: errors.length ? errors : [{ line: 1, message: 'The file is empty' }] };

  const names = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(GENERIC_CSV_COLUMNS as readonly string[]).includes(n));
  const missing = REQUIRED.filter((c) => !names.includes(c));
  const duplicate = names.filter((n, i) => names.indexOf(n) !== i);
  const headerProblems = [
    ...missing.map((c) => `missing column "${c}"`),
    ...unknown.map((c) => `unknown column "${c}"`),
    ...duplicate.map((c) => `column "${c}" appears twice`),
  ];
  if (headerProblems.length)
    return { orders: [], errors: [...errors, { line: header.line, message: headerProblems.join('; ') }] };

  const groups = new Map<string, Row[]>();
  for (const record of body) {
    if (record.fields.length !== names.length) {
      errors.push({ line: record.line, message: `expected ${names.length} fields, found ${record.fields.length}` });
      continue;
    }
    const values = Object.fromEntries(GENERIC_CSV_COLUMNS.map((c) => [c, ''])) as Record<Column, string>;
    names.forEach((name, i) => (values[name as Column] = record.fields[i]!.trim()));
    if (!values.external_id) {
      errors.push({ line: record.line, message: 'external_id is empty' });
      continue;
    }
    const group = groups.get(values.external_id) ?? [];
    group.push({ line: record.line, values });
    groups.set(values.external_id, group);
  }

  const orders: NormalizedOrder[] = [];
  for (const [externalId, rows] of groups) {
    const problems = rows.flatMap((row) => rowProblems(row, rows[0]!).map((message) => ({ line: row.line, message })));
    if (problems.length) {
      errors.push(...problems);
      const bad = new Set(problems.map((p) => p.line));
      const firstBad = Math.min(...bad);
      for (const row of rows) {
        if (!bad.has(row.line))
          errors.push({
            line: row.line,
            message: `skipped: order "${externalId}" has an invalid row at line ${firstBad}`,
          });
      }
      continue;
    }
    const order = buildOrder(externalId, rows, now, options.defaultStatus ?? 'paid');
    if (!isStorableInt(order.total) || !isStorableInt(order.taxTotal)) {
      const [first, ...rest] = rows;
      errors.push({
        line: first!.line,
        message: `the total of order "${externalId}" exceeds ${MAX_STORABLE_INT} minor units`,
      });
      for (const row of rest)
        errors.push({ line: row.line, message: `skipped: order "${externalId}" is too large (line ${first!.line})` });
      continue;
    }
    orders.push(order);
  }
  errors.sort((a, b) => a.line - b.line);
  return { orders, errors };
}

function isDecimal(value: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(value) || /^-?\.\d+$/.test(value);
}

function isDate(value: string): boolean {
  return value === '' || !Number.isNaN(Date.parse(value));
}

function rowProblems(row: Row, first: Row): string[] {
  const v = row.values;
  const problems: string[] = [];
  for (const c of REQUIRED) if (!v[c]) problems.push(`${c} is empty`);
  for (const c of GENERIC_CSV_COLUMNS) {
    const reason = unstorableText(v[c]);
    if (reason) problems.push(`${c} ${reason}`);
  }
  if (v.quantity && !/^\d+$/.test(v.quantity)) problems.push(`quantity "${v.quantity}" is not a whole number`);
  else if (v.quantity && Number(v.quantity) < 1) problems.push('quantity must be at least 1');
  else if (v.quantity && !isStorableInt(Number(v.quantity))) problems.push(`quantity exceeds ${MAX_STORABLE_INT}`);
  for (const c of ['unit_price', 'tax'] as const) {
    if (!v[c]) continue;
    if (!isDecimal(v[c])) problems.push(`${c} "${v[c]}" is not a decimal number (use a dot)`);
    else if (!isStorableInt(toMinorUnits(v[c], v.currency || 'XXX')))
      problems.push(`${c} exceeds ${MAX_STORABLE_INT} minor units`);
  }
  if (v.currency && !/^[A-Za-z]{3}$/.test(v.currency))
    problems.push(`currency "${v.currency}" is not an ISO-4217 code`);
  if (v.status && !(HUB_STATUSES as readonly string[]).includes(v.status.toLowerCase())) {
    problems.push(`status "${v.status}" is not one of ${HUB_STATUSES.join(', ')}`);
  }
  if (v.buyer_country && !/^[A-Za-z]{2}$/.test(v.buyer_country))
    problems.push(`buyer_country "${v.buyer_country}" is not a 2-letter code`);
  if (v.buyer_email && !/^[^\s@]+@[^\s@]+$/.test(v.buyer_email))
    problems.push(`buyer_email "${v.buyer_email}" is not an email address`);
  if (!v.created_at) problems.push('created_at is required (repeated imports must see the same order)');
  else if (!isDate(v.created_at)) problems.push(`created_at "${v.created_at}" is not a date`);
  if (!isDate(v.updated_at)) problems.push(`updated_at "${v.updated_at}" is not a date`);
  if (row !== first) {
    for (const c of ORDER_FIELDS) {
      if (v[c] !== first.values[c]) problems.push(`${c} differs from line ${first.line} of the same order`);
    }
  }
  return problems;
}

function buildOrder(externalId: string, rows: Row[], now: () => Date, defaultStatus: HubStatus): NormalizedOrder {
  const head = rows[0]!.values;
  const currency = head.currency.toUpperCase();
  const status = (head.status.toLowerCase() || defaultStatus) as HubStatus;
  const items: NormalizedOrderItem[] = rows.map((row, i) => {
    const v = row.values;
    return {
      externalId: `${externalId}:${i + 1}`,
      sku: v.sku || null,
      title: v.title,
      quantity: Number(v.quantity),
      unitPrice: toMinorUnits(v.unit_price, currency),
      tax: toMinorUnits(v.tax || '0', currency),
      refundedQuantity: status === 'refunded' ? Number(v.quantity) : 0,
      cancelled: status === 'cancelled',
    };
  });
  const createdAt = head.created_at ? new Date(head.created_at) : now();
  return {
    externalId,
    number: head.number || externalId,
    status,
    channelStatus: head.status || defaultStatus,
    buyer: {
      email: head.buyer_email || null,
      name: head.buyer_name || null,
      language: head.buyer_language || null,
      country: head.buyer_country ? head.buyer_country.toUpperCase() : null,
    },
    currency,
    total: items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0),
    taxTotal: items.reduce((sum, item) => sum + item.tax, 0),
    items,
    createdAt,
    updatedAt: head.updated_at ? new Date(head.updated_at) : createdAt,
    paidAt: isPaidStatus(status) ? createdAt : null,
    tags: [],
    raw: rows.map((r) => r.values),
  };
}
