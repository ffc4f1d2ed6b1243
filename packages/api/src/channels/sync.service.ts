import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelError, OrderPage } from '@handoff/connectors';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import {
  emptyCounts,
  type ImportCounts,
  type OrderImportService,
  type RefusedOrder,
} from '../orders/order-import.service.js';
import { ChannelConnection } from './channel-connection.entity.js';
import type { ConnectorFactory } from './connector-factory.js';
import { SyncRun, type SyncTrigger } from './sync-run.entity.js';
import { safeErrorMessage } from '../db/driver-error.js';

/** The watermark trails the run's start by this much: channel clocks and ours may disagree. */
const CLOCK_SKEW_MS = 2 * 60_000;

/** An unchanged page's cursor is written with the next page that writes, or every this many pages. */
const PROGRESS_EVERY = 10;

/** A run yields after this long; the job handler enqueues the continuation (pg-boss expires jobs at 15 min). */
export const SYNC_TIME_BUDGET_MS = 10 * 60_000;

export type SyncOutcome =
  | { status: 'succeeded' | 'partial'; runId: string; counts: ImportCounts }
  | { status: 'failed'; runId: string; error: ChannelError | Error };

/**
 * Imports a connection's orders page by page. Each page, its cursor and the run's counters commit
 * in one transaction, so a crash resumes at the next page and imports nothing twice.
 */
export class SyncService {
  constructor(
    private readonly clock: Clock,
    private readonly connectors: ConnectorFactory,
    private readonly importer: OrderImportService,
    private readonly log: Logger,
    private readonly timeBudgetMs = SYNC_TIME_BUDGET_MS,
  ) {}

  async run(em: EntityManager, connectionId: string, trigger: SyncTrigger): Promise<SyncOutcome | null> {
    const connection = await em.findOne(ChannelConnection, { id: connectionId });
    if (!connection || !connection.enabled) return null;
    const now = this.clock.now();
    // A run still "running" was cut off by a crash: this run resumes from its cursor.
    await em.nativeUpdate(
      SyncRun,
      { connection: connectionId, status: 'running' },
      {
        status: 'failed',
        finishedAt: now,
        error: 'Interrupted: the worker stopped during the run; the next run resumed it',
      },
    );
    const run = em.create(SyncRun, { merchant: connection.merchant, connection, trigger, startedAt: now });
    await em.flush();

    const startedAt = connection.cursor ? (connection.cursorRunStartedAt ?? now) : now;
    const target = { connectionId, merchantId: connection.merchant.id };
    const total = emptyCounts();
    let cursor = connection.cursor;
    try {
      const connector = await this.connectors.build(em, connection);
      const fetchPage = (from: string | null) => {
        const page = connector.listOrders({ since: connection.syncedUntil, cursor: from });
        page.catch(() => {}); // a prefetch may fail while the previous page commits; it is awaited (and thrown) below
        return page;
      };
      let next: Promise<OrderPage> | null = fetchPage(cursor);
      while (next) {
        const page: OrderPage = await next;
        // Fetch the following page while this one is written: channel and database work overlap.
        next = page.nextCursor ? fetchPage(page.nextCursor) : null;
        await this.commitPage(em, run, target, page, trigger, startedAt, total);
        cursor = page.nextCursor;
        if (next && this.clock.now().getTime() - now.getTime() > this.timeBudgetMs) {
          await em.nativeUpdate(
            SyncRun,
            { id: run.id },
            { status: 'partial', finishedAt: this.clock.now(), error: this.noteRefusals(run, total) },
          );
          return { status: 'partial', runId: run.id, counts: total };
        }
      }

      const watermark = new Date(startedAt.getTime() - CLOCK_SKEW_MS);
      await em.nativeUpdate(
        ChannelConnection,
        { id: connectionId },
        { syncedUntil: watermark, cursor: null, cursorRunStartedAt: null },
      );
      await em.nativeUpdate(
        SyncRun,
        { id: run.id },
        { status: 'succeeded', finishedAt: this.clock.now(), error: this.noteRefusals(run, total) },
      );
      this.log.info({ connectionId, runId: run.id, ...total, pages: run.pages }, 'sync finished');
      return { status: 'succeeded', runId: run.id, counts: total };
    } catch (error) {
      const message = safeErrorMessage(error);
      await em.nativeUpdate(
        SyncRun,
        { id: run.id },
        { status: 'failed', finishedAt: this.clock.now(), error: message.slice(0, 2000) },
      );
      this.log.warn({ connectionId, runId: run.id, err: error }, 'sync failed');
      return { status: 'failed', runId: run.id, error: error instanceof Error ? error : new Error(message) };
    }
  }

  /** Refused orders are logged by id (no buyer data) and noted on the run the merchant sees. */
  private noteRefusals(run: SyncRun, total: ImportCounts): string | null {
    if (total.refused.length) {
      const externalIds = total.refused.map((r) => r.externalId);
      this.log.warn({ connectionId: run.connection.id, runId: run.id, externalIds }, 'orders refused by the import');
    }
    return refusalNote(total.refused);
  }

  /** One page, its cursor and the run's counters in one transaction (a fresh fork: no entity build-up). */
  private async commitPage(
    em: EntityManager,
    run: SyncRun,
    target: { connectionId: string; merchantId: string },
    page: OrderPage,
    trigger: SyncTrigger,
    startedAt: Date,
    total: ImportCounts,
  ): Promise<void> {
    // A page with nothing to write skips the transaction; its cursor is saved with a later page (at
    // least every PROGRESS_EVERY pages), so a crash only re-reads a few unchanged pages.
    if (page.nextCursor && (run.pages + 1) % PROGRESS_EVERY !== 0) {
      const unchanged = await this.importer.unchangedCounts(em.fork(), target, page.orders);
      if (unchanged) {
        addCounts(total, unchanged);
        run.pages += 1;
        return;
      }
    }
    const counts = await em.fork().transactional(async (tx) => {
      const pageCounts = await this.importer.importBatch(tx, target, page.orders, {
        source: 'sync',
        actor: `sync:${trigger}`,
      });
      const after = { ...total };
      addCounts(after, pageCounts);
      await tx.nativeUpdate(
        ChannelConnection,
        { id: target.connectionId },
        { cursor: page.nextCursor, cursorRunStartedAt: page.nextCursor ? startedAt : null },
      );
      await tx.nativeUpdate(
        SyncRun,
        { id: run.id },
        {
          pages: run.pages + 1,
          created: after.created,
          updated: after.updated,
          unchanged: after.unchanged + after.stale,
        },
      );
      return pageCounts;
    });
    addCounts(total, counts);
    run.pages += 1;
  }
}

function addCounts(total: ImportCounts, page: ImportCounts): void {
  total.created += page.created;
  total.updated += page.updated;
  total.unchanged += page.unchanged;
  total.stale += page.stale;
  total.refused = [...total.refused, ...page.refused];
}

/** What the merchant reads in the sync history about orders the hub could not hold. */
export function refusalNote(refused: RefusedOrder[]): string | null {
  if (refused.length === 0) return null;
  const shown = refused.slice(0, 20).map((r) => `${r.externalId} (${r.reason})`);
  const more = refused.length > shown.length ? `; and ${refused.length - shown.length} more` : '';
  return `Left out ${refused.length} order(s) the hub cannot store: ${shown.join('; ')}${more}`.slice(0, 2000);
}
