import {
  genericInputToOrder,
  genericOrderInputSchema,
  parseOrdersCsv,
  type CsvRowError,
  type GenericOrderInput,
} from '@handoff/connectors';
import { HandoffError, invalidInput, notFound, type NormalizedOrder } from '@handoff/shared';
import { ChannelConnection } from '../../channels/channel-connection.entity.js';
import { isUuid } from '../../db/uuid.js';
import type { MerchantContext } from '../../graphql/request-context.js';
import type { UserError } from '../../graphql/relay.js';
import { emptyCounts, type ImportCounts, type OrderImportService } from '../order-import.service.js';

export const MAX_PUSHED_ORDERS = 500;
export const MAX_CSV_BYTES = 5 * 1024 * 1024;
/** Orders per importBatch call inside the one transaction of a CSV upload (keeps statements small). */
const CSV_CHUNK = 500;
/** userErrors reported for one rejected call; the rest are summarized. */
const MAX_REPORTED_ISSUES = 50;

export interface PushResult extends ImportCounts {
  lineErrors: CsvRowError[];
}

/** Every problem of a rejected batch, field by field; nothing of the batch was written. */
export class InputRejected extends HandoffError {
  constructor(readonly userErrors: UserError[]) {
    super('BAD_USER_INPUT', userErrors[0]?.message ?? 'Invalid input', userErrors[0]?.field?.join('.'));
  }
}

/**
 * The generic channel's push API: integrators send orders (GraphQL or CSV) and they go through the
 * same idempotent import as synced orders, all of one call in one transaction.
 */
export class OrderPushService {
  constructor(private readonly importer: OrderImportService) {}

  async importOrders(ctx: MerchantContext, connectionId: string, inputs: unknown[]): Promise<PushResult> {
    const connection = await this.genericConnection(ctx, connectionId);
    if (inputs.length > MAX_PUSHED_ORDERS) {
      throw invalidInput(`At most ${MAX_PUSHED_ORDERS} orders per call (got ${inputs.length})`, 'orders');
    }
    const problems: UserError[] = [];
    const valid: GenericOrderInput[] = [];
    inputs.forEach((raw, index) => {
      const result = genericOrderInputSchema.safeParse(plain(raw));
      if (result.success) valid.push(result.data);
      else
        for (const issue of result.error.issues) {
          const field = ['orders', String(index), ...issue.path.map(String)];
          problems.push({ field, message: `${field.join('.')}: ${issue.message}`, code: 'BAD_USER_INPUT' });
        }
    });
    if (problems.length) throw new InputRejected(summarize(problems));
    const now = () => ctx.clock.now();
    const counts = await this.importAll(ctx, connection, [valid.map((input) => genericInputToOrder(input, now))]);
    return { ...counts, lineErrors: [] };
  }

  /** Rows with errors are reported by line; their whole orders are left out, the other orders import. */
  async importCsv(ctx: MerchantContext, connectionId: string, csv: string): Promise<PushResult> {
    const connection = await this.genericConnection(ctx, connectionId);
    if (Buffer.byteLength(csv, 'utf8') > MAX_CSV_BYTES) {
      throw invalidInput(`The CSV is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it`, 'csv');
    }
    const { orders, errors } = parseOrdersCsv(csv, { now: () => ctx.clock.now() });
    const chunks: NormalizedOrder[][] = [];
    for (let i = 0; i < orders.length; i += CSV_CHUNK) chunks.push(orders.slice(i, i + CSV_CHUNK));
    const counts = await this.importAll(ctx, connection, chunks);
    return { ...counts, lineErrors: errors };
  }

  private async importAll(
    ctx: MerchantContext,
    connection: ChannelConnection,
    chunks: NormalizedOrder[][],
  ): Promise<ImportCounts> {
    const total = emptyCounts();
    if (!chunks.some((c) => c.length)) return total;
    const target = { connectionId: connection.id, merchantId: ctx.actor.merchantId };
    const by = { source: 'api' as const, actor: ctx.actor.name };
    await ctx.em.transactional(async (tx) => {
      for (const chunk of chunks) {
        const counts = await this.importer.importBatch(tx, target, chunk, by);
        total.created += counts.created;
        total.updated += counts.updated;
        total.unchanged += counts.unchanged;
        total.stale += counts.stale;
        total.refused.push(...counts.refused);
      }
    });
    return total;
  }

  private async genericConnection(ctx: MerchantContext, id: string): Promise<ChannelConnection> {
    const connection = isUuid(id)
      ? await ctx.em.findOne(ChannelConnection, { id, merchant: ctx.actor.merchantId })
      : null;
    if (!connection) throw notFound('Channel connection');
    if (connection.kind !== 'generic') {
      throw invalidInput(
        `Orders can only be pushed to generic connections; this one is ${connection.kind} and syncs itself`,
        'connectionId',
      );
    }
    if (!connection.enabled) throw invalidInput('The connection is disabled', 'connectionId');
    return connection;
  }
}

/**
 * GraphQL input objects as plain JSON: class instances become objects, and null for an optional
 * field means absent (the generic mapping treats an absent buyer field or SKU as null anyway).
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = plain(v);
    return out;
  }
  return value;
}

function summarize(problems: UserError[]): UserError[] {
  if (problems.length <= MAX_REPORTED_ISSUES) return problems;
  return [
    ...problems.slice(0, MAX_REPORTED_ISSUES),
    {
      field: ['orders'],
      message: `…and ${problems.length - MAX_REPORTED_ISSUES} more problems`,
      code: 'BAD_USER_INPUT',
    },
  ];
}
