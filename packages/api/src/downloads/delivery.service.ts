import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { isUuid } from '../db/uuid.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { Order } from '../orders/order.entity.js';
import type { Keyring } from '../security/keyring.js';
import { resumeNeeds, type RangeAsk } from './byte-range-header.js';
import { DownloadEvent, type DownloadOutcome } from './download-event.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import type { DownloadSettings } from './download-settings.js';
import { checkToken, mintToken } from './download-token.js';
import { downloadUses } from './download-use.repository.js';
import { storedIp } from './ip.js';
import type { SuspensionService } from './suspension.service.js';

export type RefusalCode =
  | 'LIMIT_REACHED'
  | 'EXPIRED'
  | 'REVOKED'
  | 'SUSPENDED'
  | 'INVALID_LINK'
  | 'STORAGE_UNAVAILABLE'
  | 'RANGE_NOT_SATISFIABLE';

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
  RANGE_NOT_SATISFIABLE: [416, 'The asked range is outside the file; no download was counted.'],
};

export function refusal(code: RefusalCode, suspendedUntil?: Date): Refusal {
  const [status, message] = MESSAGES[code];
  return { code, status, message, ...(suspendedUntil && { suspendedUntil }) };
}

export interface DownloadRequest {
  token: string;
  ip: string | undefined;
  userAgent: string | undefined;
  /** The raw Range header, for the download log. */
  range: string | undefined;
  /** What the request asks for (Range and If-Range read). */
  ask: RangeAsk;
  /** HEAD: checks only, never counts. */
  head: boolean;
}

/** A request that passed the checks (token, suspension, expiry): it may now claim a use. */
export interface Admission {
  grant: DownloadGrant;
  tokenId: string;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  range: string | undefined;
}

export type AdmitResult = { ok: true; admission: Admission } | { ok: false; refusal: Refusal };

/** What a response is about to send: `bytes` of a file whose uses may carry `cap` bytes each. */
export interface Delivery {
  bytes: number;
  cap: number;
  /** A single range starting past the first byte: it may continue the token's current use. */
  resumable: boolean;
}

/** The use a response is served under, and the bytes reserved on it. */
export interface ClaimedUse {
  useId: string;
  /** SERVED = this request counted a use; RESUMED = it continues a counted one. */
  outcome: 'SERVED' | 'RESUMED';
  reserved: number;
}

export type ClaimResult = { ok: true; use: ClaimedUse } | { ok: false; refusal: Refusal };

interface GrantStateRow {
  revoked_at: Date | null;
  expires_at: Date | null;
  used: number;
  download_limit: number | null;
}

/**
 * The server side of `/d/:token`: mints tokens, admits requests (token, suspension, expiry),
 * claims a use for what a response sends (a new use, or bytes on the token's current one), and
 * writes the download log.
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
    // An expired link never serves a byte, not even to finish a download it started.
    if (at >= check.claims.expiresAt) return refuse(refusal('EXPIRED'));

    // Refuse early what cannot be served, before storage is touched; claim() decides for good.
    const reason = stateRefusal(stateOfEntity(grant), at);
    if (reason && reason !== 'LIMIT_REACHED') return refuse(refusal(reason));
    if (reason) {
      // Past the limit only a resume may go on, and only with room left on its use.
      const needs = req.head ? 0 : resumeNeeds(req.ask, grant.productFile.size);
      const cutoff = this.resumeCutoff(at);
      if (needs === null || !(await downloadUses.hasRoom(em.getKnex(), tokenId, cutoff, needs))) {
        return refuse(refusal(reason));
      }
    }
    return { ok: true, admission: { grant, tokenId, at, ip, userAgent, range: req.range } };
  }

  /**
   * Claims a use for what a response is about to send. A resumable ask continues the token's
   * current use while its bytes fit within the use's cap; anything else counts a new use. Either
   * way the bytes are reserved before a byte is sent. Refusals are logged.
   */
  async claim(em: EntityManager, admission: Admission, delivery: Delivery): Promise<ClaimResult> {
    const { grant, tokenId, at } = admission;
    const claimed = await em.getKnex().transaction(async (trx): Promise<ClaimedUse | RefusalCode> => {
      await downloadUses.lockToken(trx, tokenId);
      if (delivery.resumable) {
        const reason = stateRefusal(await stateOf(trx, grant.id), at);
        if (reason && reason !== 'LIMIT_REACHED') return reason;
        const useId = await downloadUses.reserveOnCurrent(trx, tokenId, this.resumeCutoff(at), delivery.bytes);
        if (useId) return { useId, outcome: 'RESUMED', reserved: delivery.bytes };
      }
      const useId = await downloadUses.count(trx, {
        grantId: grant.id,
        merchantId: grant.merchant.id,
        tokenId,
        at,
        bytes: delivery.bytes,
        cap: delivery.cap,
      });
      if (useId) return { useId, outcome: 'SERVED', reserved: delivery.bytes };
      return stateRefusal(await stateOf(trx, grant.id), at) ?? 'LIMIT_REACHED';
    });
    if (typeof claimed !== 'string') return { ok: true, use: claimed };
    await this.record(em, { ...admission, outcome: claimed });
    return { ok: false, refusal: refusal(claimed) };
  }

  /** Settles a response's reservation once it is over: what it did not send goes back to its use. */
  async settle(em: EntityManager, use: ClaimedUse, sent: number): Promise<void> {
    await downloadUses.release(em.getKnex(), use.useId, use.reserved - Math.min(sent, use.reserved));
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

  private resumeCutoff(at: Date): Date {
    return new Date(at.getTime() - this.settings.resumeWindowSeconds * 1000);
  }
}

type Raw = { raw(sql: string, bindings: unknown[]): Promise<unknown> };

async function stateOf(db: Raw, grantId: string): Promise<GrantStateRow | null> {
  const r = (await db.raw('select revoked_at, expires_at, used, download_limit from download_grant where id = ?', [
    grantId,
  ])) as { rows: GrantStateRow[] };
  return r.rows[0] ?? null;
}

function stateOfEntity(grant: DownloadGrant): GrantStateRow {
  return {
    revoked_at: grant.revokedAt,
    expires_at: grant.expiresAt,
    used: grant.used,
    download_limit: grant.limit,
  };
}

/** Why a grant refuses a new use now, in the order the buyer should hear it; null when it would not. */
function stateRefusal(state: GrantStateRow | null, at: Date): RefusalCode | null {
  if (!state) return 'INVALID_LINK';
  if (state.revoked_at) return 'REVOKED';
  if (state.expires_at && new Date(state.expires_at) <= at) return 'EXPIRED';
  if (state.download_limit !== null && state.used >= state.download_limit) return 'LIMIT_REACHED';
  return null;
}
