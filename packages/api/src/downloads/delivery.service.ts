import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { isUuid } from '../db/uuid.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { Order } from '../orders/order.entity.js';
import type { Keyring } from '../security/keyring.js';
import { DownloadEvent, type DownloadOutcome } from './download-event.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import type { DownloadSettings } from './download-settings.js';
import { checkToken, mintToken } from './download-token.js';
import { storedIp } from './ip.js';
import type { SuspensionService } from './suspension.service.js';

export type RefusalCode =
  'LIMIT_REACHED' | 'EXPIRED' | 'REVOKED' | 'SUSPENDED' | 'INVALID_LINK' | 'STORAGE_UNAVAILABLE';

export interface Refusal {
  code: RefusalCode;
  status: number;
  message: string;
  suspendedUntil?: Date;
}

const MESSAGES: Record<RefusalCode, [number, string]> = {
  LIMIT_REACHED: [410, 'This file has been downloaded as often as the purchase allows.'],
  EXPIRED: [410, 'This download is no longer available.'],
  REVOKED: [410, 'This download has been withdrawn by the seller.'],
  SUSPENDED: [429, 'Too many invalid attempts: downloads are suspended for a while.'],
  INVALID_LINK: [404, 'This download link is not valid.'],
  STORAGE_UNAVAILABLE: [503, 'The file cannot be fetched from storage right now; no download was counted.'],
};

export function refusal(code: RefusalCode, suspendedUntil?: Date): Refusal {
  const [status, message] = MESSAGES[code];
  return { code, status, message, ...(suspendedUntil && { suspendedUntil }) };
}

export interface DownloadRequest {
  token: string;
  ip: string | undefined;
  userAgent: string | undefined;
  /** The raw Range header (a request with one may resume a counted download). */
  range: string | undefined;
  /** HEAD: checks only, never counts. */
  head: boolean;
}

/** Where a request stands once admitted: it may stream or redirect. */
export interface Admission {
  grant: DownloadGrant;
  tokenId: string;
  /** SERVED = this request counted a use; RESUMED = it continues a counted one. */
  outcome: 'SERVED' | 'RESUMED';
  /** For the refund when storage fails. */
  countedAt: Date | null;
  at: Date;
  ip: string | null;
  userAgent: string | null;
}

export type AdmitResult = { ok: true; admission: Admission } | { ok: false; refusal: Refusal };

interface GrantStateRow {
  revoked_at: Date | null;
  expires_at: Date | null;
  used: number;
  download_limit: number | null;
}

/**
 * The server side of `/d/:token`: mints tokens, admits requests (token, suspension, one atomic
 * use), refunds a use storage could not serve, and writes the download log.
 */
export class DeliveryService {
  constructor(
    private readonly clock: Clock,
    private readonly keyring: Keyring,
    readonly settings: DownloadSettings,
    private readonly suspensions: SuspensionService,
  ) {}

  /**
   * A short-lived link to one grant. `scope` narrows whose grant it may be: the merchant (console)
   * and/or the order (the portal, after resolving the buyer's code); anything else is NOT_FOUND.
   */
  async mintLink(
    em: EntityManager,
    grantId: string,
    scope: { merchantId?: string; orderId?: string },
  ): Promise<{ url: string; token: string; expiresAt: Date }> {
    const grant = isUuid(grantId)
      ? await em.findOne(DownloadGrant, {
          id: grantId,
          ...(scope.merchantId && { merchant: scope.merchantId }),
          ...(scope.orderId && { order: scope.orderId }),
        })
      : null;
    if (!grant || (!scope.merchantId && !scope.orderId)) throw notFound('Download grant');
    const seconds = Math.floor(this.clock.now().getTime() / 1000) + this.settings.tokenTtlSeconds;
    const expiresAt = new Date(seconds * 1000);
    const { token } = mintToken(this.keyring, grant.id, expiresAt);
    return { url: `${this.settings.publicUrl}/d/${token}`, token, expiresAt };
  }

  async admit(em: EntityManager, req: DownloadRequest): Promise<AdmitResult> {
    const check = checkToken(this.keyring, req.token);
    if (check.kind === 'malformed') return { ok: false, refusal: refusal('INVALID_LINK') };
    const at = this.clock.now();
    const grant = await em.findOne(
      DownloadGrant,
      { id: check.claims.grantId },
      { populate: ['productFile', 'productFile.storage', 'merchant'] },
    );
    if (!grant) return { ok: false, refusal: refusal('INVALID_LINK') };
    const ip = storedIp(req.ip, grant.merchant.settings.downloads.truncateIps);
    const userAgent = req.userAgent?.slice(0, 500) ?? null;
    const base = { grant, at, ip, userAgent, range: req.range };
    const refuse = async (r: Refusal): Promise<AdmitResult> => {
      if (!req.head) await this.record(em, { ...base, outcome: r.code });
      return { ok: false, refusal: r };
    };

    const target = `order:${grant.order.id}`;
    const ipKey = ip ?? 'unknown';
    const active = await this.suspensions.active(em, ipKey, target, at);
    if (active?.suspendedUntil) return refuse(refusal('SUSPENDED', active.suspendedUntil));

    if (check.kind === 'forged') {
      const failed = await this.suspensions.registerFailure(
        em,
        { merchantId: grant.merchant.id, orderId: grant.order.id, ip: ipKey, target },
        at,
      );
      return refuse(failed.suspendedUntil ? refusal('SUSPENDED', failed.suspendedUntil) : refusal('INVALID_LINK'));
    }

    const { tokenId } = check.claims;
    const isRange = Boolean(req.range);
    const resumeCutoff = new Date(at.getTime() - this.settings.resumeWindowSeconds * 1000);
    if (at >= check.claims.expiresAt) {
      // An expired link may still finish (Range) a download it started within the resume window.
      const recent = isRange && (await this.recentUse(em, tokenId, resumeCutoff));
      if (!recent) return refuse(refusal('EXPIRED'));
    }

    if (req.head) {
      const state = await this.state(em, grant.id);
      const reason = stateRefusal(state, at);
      const spent = reason === 'LIMIT_REACHED' && !(await this.recentUse(em, tokenId, resumeCutoff));
      if (reason && (reason !== 'LIMIT_REACHED' || spent)) return refuse(refusal(reason));
      return { ok: true, admission: { grant, tokenId, outcome: 'RESUMED', countedAt: null, at, ip, userAgent } };
    }

    const consumed = await this.consume(em, grant, tokenId, isRange, at, resumeCutoff);
    if (typeof consumed === 'string') return refuse(refusal(consumed));
    return { ok: true, admission: { grant, tokenId, ...consumed, at, ip, userAgent } };
  }

  /** Gives back the use a request counted when storage could not serve it. */
  async refund(em: EntityManager, admission: Admission): Promise<void> {
    if (admission.outcome !== 'SERVED' || !admission.countedAt) return;
    const knex = em.getKnex();
    await knex.raw('update download_grant set used = used - 1 where id = ? and used > 0', [admission.grant.id]);
    await knex.raw('delete from download_use where token_id = ? and counted_at = ?', [
      admission.tokenId,
      admission.countedAt,
    ]);
  }

  async record(
    em: EntityManager,
    e: {
      grant: DownloadGrant;
      at: Date;
      ip: string | null;
      userAgent: string | null;
      range?: string;
      outcome: DownloadOutcome;
      bytesSent?: number;
      completed?: boolean | null;
      redirected?: boolean;
    },
  ): Promise<void> {
    const merchant = em.getReference(Merchant, e.grant.merchant.id);
    const order = em.getReference(Order, e.grant.order.id);
    await em.insert(DownloadEvent, {
      id: randomUUID(),
      merchant,
      order,
      grant: em.getReference(DownloadGrant, e.grant.id),
      at: e.at,
      ip: e.ip,
      userAgent: e.userAgent,
      outcome: e.outcome,
      bytesSent: e.bytesSent ?? 0,
      completed: e.completed ?? null,
      redirected: e.redirected ?? false,
      range: e.range?.slice(0, 100) ?? null,
    });
    if (e.outcome === 'SERVED') {
      await em.insert(OrderEvent, {
        id: randomUUID(),
        merchant,
        order,
        type: 'downloaded',
        source: 'buyer',
        actor: null,
        data: {
          grantId: e.grant.id,
          file: e.grant.productFile.displayName,
          completed: e.completed ?? null,
          bytesSent: e.bytesSent ?? 0,
          redirected: e.redirected ?? false,
        },
        createdAt: e.at,
      });
    }
  }

  /**
   * Counts one use, or recognises a resume. The use claim (token id → counted use) and the one
   * conditional UPDATE of the grant commit together: the UPDATE re-checks its WHERE on the latest
   * row version, so N parallel requests against `limit` L count exactly L.
   */
  private async consume(
    em: EntityManager,
    grant: DownloadGrant,
    tokenId: string,
    isRange: boolean,
    at: Date,
    resumeCutoff: Date,
  ): Promise<{ outcome: 'SERVED' | 'RESUMED'; countedAt: Date | null } | RefusalCode> {
    const knex = em.getKnex();
    const refused = Symbol('refused');
    try {
      return await knex.transaction(async (trx) => {
        const claim = await trx.raw(
          `insert into download_use (token_id, merchant_id, grant_id, counted_at) values (?, ?, ?, ?)
           on conflict (token_id) do update set counted_at = excluded.counted_at
           where ? or download_use.counted_at <= ?
           returning token_id`,
          [tokenId, grant.merchant.id, grant.id, at, !isRange, resumeCutoff],
        );
        if ((claim as { rows: unknown[] }).rows.length === 0) {
          // A Range request continuing this token's counted download: no new use, but never past
          // a revocation or the grant's expiry.
          const state = await stateOf(trx, grant.id);
          const reason = stateRefusal(state, at);
          if (reason === 'REVOKED' || reason === 'EXPIRED') return reason;
          return { outcome: 'RESUMED' as const, countedAt: null };
        }
        const updated = await trx.raw(
          `update download_grant set used = used + 1, updated_at = ?
           where id = ? and revoked_at is null
             and (download_limit is null or used < download_limit)
             and (expires_at is null or expires_at > ?)
           returning used`,
          [at, grant.id, at],
        );
        if ((updated as { rows: unknown[] }).rows.length === 1) return { outcome: 'SERVED' as const, countedAt: at };
        throw refused; // rolls the use claim back
      });
    } catch (error) {
      if (error !== refused) throw error;
      return stateRefusal(await this.state(em, grant.id), at) ?? 'LIMIT_REACHED';
    }
  }

  private async state(em: EntityManager, grantId: string): Promise<GrantStateRow | null> {
    return stateOf(em.getKnex(), grantId);
  }

  private async recentUse(em: EntityManager, tokenId: string, cutoff: Date): Promise<boolean> {
    const r = await em
      .getKnex()
      .raw('select 1 from download_use where token_id = ? and counted_at > ?', [tokenId, cutoff]);
    return (r as { rows: unknown[] }).rows.length > 0;
  }
}

type Raw = { raw(sql: string, bindings: unknown[]): Promise<unknown> };

async function stateOf(db: Raw, grantId: string): Promise<GrantStateRow | null> {
  const r = (await db.raw('select revoked_at, expires_at, used, download_limit from download_grant where id = ?', [
    grantId,
  ])) as { rows: GrantStateRow[] };
  return r.rows[0] ?? null;
}

/** Why a grant refuses a new use now, in the order the buyer should hear it; null when it would not. */
function stateRefusal(state: GrantStateRow | null, at: Date): RefusalCode | null {
  if (!state) return 'INVALID_LINK';
  if (state.revoked_at) return 'REVOKED';
  if (state.expires_at && new Date(state.expires_at) <= at) return 'EXPIRED';
  if (state.download_limit !== null && state.used >= state.download_limit) return 'LIMIT_REACHED';
  return null;
}
