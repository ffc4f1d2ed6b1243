import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertRows } from '../db/sql.js';
import type { OrderEventSource } from './order-event.entity.js';

/** An order history entry for a multi-row insert (batch jobs write hundreds at once). */
export interface OrderEventRow {
  id?: string;
  merchantId: string;
  orderId: string;
  type: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  source: OrderEventSource;
  actor: string | null;
  data: Record<string, unknown> | null;
  createdAt: Date;
}

const COLUMNS = {
  id: 'uuid',
  merchant_id: 'uuid',
  order_id: 'uuid',
  type: 'varchar',
  from_status: 'varchar',
  to_status: 'varchar',
  source: 'varchar',
  actor: 'varchar',
  data: 'jsonb',
  created_at: 'timestamptz',
};

/** Inserts history entries with one statement per 1,000. */
export async function insertOrderEvents(em: EntityManager, events: OrderEventRow[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    await insertRows(
      em,
      'order_event',
      COLUMNS,
      events.slice(i, i + 1000).map((e) => ({
        id: e.id ?? randomUUID(),
        merchant_id: e.merchantId,
        order_id: e.orderId,
        type: e.type,
        from_status: e.fromStatus ?? null,
        to_status: e.toStatus ?? null,
        source: e.source,
        actor: e.actor,
        data: e.data,
        created_at: e.createdAt,
      })),
    );
  }
}
