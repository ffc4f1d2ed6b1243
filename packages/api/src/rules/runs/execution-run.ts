import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.js';
import { planGrants, type GrantRow } from '../../downloads/grant-plan.js';
import type { OrderEventRow } from '../../orders/order-event-rows.js';
import type { PortalCodeRow, PortalCodeService, PortalLink } from '../../portal/portal-code.service.js';
import type { OutboxMessage } from '../notifications/outbox.service.js';
import type { ActionOutcome, ActionPorts, ExecutionRun } from '../operation.js';
import type { RuleSubject } from '../rule-subject.js';
import { downloadView, type DownloadView } from '../templates/template-data.js';
import type { TemplateService } from '../templates/template.service.js';
import type { BatchReads } from './batch-reads.js';

export interface RunCollaborators {
  clock: Clock;
  templates: TemplateService;
  portalCodes: PortalCodeService;
  ports: ActionPorts;
}

/**
 * One execution's side of a batch: actions read through the batch's loaders and collect their
 * writes here; the runner commits the writes of every successful execution together, and drops
 * those of a failed one (nothing of it reached the database).
 */
export class ExecutionBuffer implements ExecutionRun {
  readonly grants: GrantRow[] = [];
  readonly portalCodes: PortalCodeRow[] = [];
  readonly messages: OutboxMessage[] = [];
  readonly events: OrderEventRow[] = [];
  readonly statements: ((tx: EntityManager) => Promise<void>)[] = [];
  /** Set by the runner before each action: part of the dedup key of what the action queues. */
  actionIndex = 0;
  private readonly plannedDownloads: DownloadView[] = [];
  private newLink: PortalLink | null = null;

  constructor(
    private readonly c: RunCollaborators,
    private readonly reads: BatchReads,
    private readonly subject: RuleSubject,
    readonly executionId: string,
    private readonly actor: string,
  ) {}

  private get order() {
    return this.subject.order;
  }

  private get merchantId() {
    return this.subject.view.merchantId;
  }

  async grantDownloads(): Promise<{ created: number }> {
    const merchant = await this.reads.merchant.load(this.merchantId);
    if (!merchant) throw new Error('the merchant no longer exists');
    const productIds = [...new Set(this.subject.items.flatMap((i) => (i.product?.digital ? [i.product.id] : [])))];
    const [held, files] = await Promise.all([
      this.reads.grantsOfOrder.load(this.order.id),
      this.reads.filesOfProduct.loadMany(productIds),
    ]);
    const productFiles = files.flatMap((f) => (f instanceof Error ? [] : f));
    const rows = planGrants({
      merchantId: this.merchantId,
      orderId: this.order.id,
      items: this.subject.items,
      files: productFiles,
      existing: [
        ...held.map((g) => ({ orderItemId: g.orderItem.id, productFileId: g.productFile.id })),
        ...this.grants.map((g) => ({ orderItemId: g.orderItem, productFileId: g.productFile })),
      ],
      defaults: merchant.settings.downloads,
      now: this.c.clock.now(),
      mode: 'ungranted_lines',
    });
    const fileName = new Map(productFiles.map((f) => [f.id, f.displayName]));
    const itemTitle = new Map(this.subject.items.map((i) => [i.id, i.title]));
    for (const row of rows) {
      this.grants.push(row);
      this.plannedDownloads.push({
        fileName: fileName.get(row.productFile) ?? '',
        itemTitle: itemTitle.get(row.orderItem) ?? '',
        limit: row.limit,
        used: 0,
        expiresAt: row.expiresAt,
      });
    }
    if (rows.length) this.event('downloads_granted', { created: rows.length });
    return { created: rows.length };
  }

  async queueNotification(args: {
    templateId: string;
    transport: 'email' | 'channel' | 'email_then_channel';
  }): Promise<ActionOutcome> {
    const [template, merchant] = await Promise.all([
      this.reads.template.load(args.templateId),
      this.reads.merchant.load(this.merchantId),
    ]);
    if (!template || template.merchant.id !== this.merchantId)
      throw new Error('the template of this action no longer exists');
    if (!merchant) throw new Error('the merchant no longer exists');
    const route = await this.route(args.transport);
    if (!route) return { status: 'skipped', detail: `no way to reach the buyer (${args.transport})` };
    const [link, held] = await Promise.all([this.portalLink(), this.reads.grantsOfOrder.load(this.order.id)]);
    const downloads = [...held.filter((g) => !g.revokedAt).map(downloadView), ...this.plannedDownloads];
    const rendered = await this.c.templates.renderWith(template, {
      order: this.order,
      items: this.subject.items,
      merchant,
      downloads,
      portalUrl: link.url,
    });
    const dedupKey = `rule:${this.executionId}:${this.actionIndex}`;
    this.messages.push({
      merchantId: this.merchantId,
      orderId: this.order.id,
      executionId: this.executionId,
      templateId: template.id,
      transport: route.transport,
      recipient: route.recipient,
      ...rendered,
      dedupKey,
      resendOf: null,
      actor: this.actor,
    });
    return {
      status: 'done',
      detail: `${route.transport === 'email' ? 'email' : 'channel message'} queued in ${rendered.language}`,
      dedupKey,
    };
  }

  onCommit(write: (tx: EntityManager) => Promise<void>): void {
    this.statements.push(write);
  }

  event(type: string, data: Record<string, unknown>, status?: { from: string; to: string }): void {
    this.events.push({
      merchantId: this.merchantId,
      orderId: this.order.id,
      type,
      fromStatus: status?.from ?? null,
      toStatus: status?.to ?? null,
      source: 'system',
      actor: this.actor,
      data,
      createdAt: this.c.clock.now(),
    });
  }

  /** `email` needs an address; `channel` the channel's messaging; `email_then_channel` either, email first. */
  private async route(transport: 'email' | 'channel' | 'email_then_channel') {
    if (transport !== 'channel' && this.order.buyerEmail)
      return { transport: 'email' as const, recipient: this.order.buyerEmail };
    if (transport !== 'email' && (await this.reads.channelCanMessage.load(this.subject.view.connectionId)))
      return { transport: 'channel' as const, recipient: this.order.externalId };
    return null;
  }

  /** The order's code, or a new one written at commit (the commit refuses it if one appeared meanwhile). */
  private async portalLink(): Promise<PortalLink> {
    const held = await this.reads.portalLink.load(this.order.id);
    if (held) return held;
    if (!this.newLink) {
      const { row, link } = this.c.portalCodes.newCode({ id: this.order.id, merchantId: this.merchantId });
      this.portalCodes.push(row);
      this.newLink = link;
    }
    return this.newLink;
  }
}
