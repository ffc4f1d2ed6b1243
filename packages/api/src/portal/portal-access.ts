import { storedIp } from '../downloads/ip.js';
import type { SuspensionService } from '../downloads/suspension.service.js';
import type { MerchantContext } from '../graphql/request-context.js';
import type { Order } from '../orders/order.entity.js';
import type { PortalCodeService } from './portal-code.service.js';
import { portalError, PortalErrorCode, type PortalError } from './portal.types.js';

/**
 * A portal request's caller: the portal server (no merchant: every order) or a merchant key that
 * holds the `portal` scope (its own orders only).
 */
export type PortalContext = MerchantContext;

export type Access = { ok: true; order: Order } | { ok: false; error: PortalError };

/** The buyer's IP as suspensions key it. */
export function buyerIp(ctx: PortalContext): string {
  return storedIp(ctx.client?.ip ?? undefined, false) ?? 'unknown';
}

/**
 * Opens an order by its portal code. A valid code always opens (codes are 192-bit: suspension is
 * for enumeration noise, not a lock on a shared office IP). Anything else is INVALID_CODE and one
 * invalid attempt for (buyer IP, "portal"); past the threshold the IP gets SUSPENDED for unknown
 * codes until the suspension ends or an operator lifts it (`pnpm handoff lift-suspension`).
 */
export class PortalAccess {
  constructor(
    private readonly codes: PortalCodeService,
    private readonly suspensions: SuspensionService,
  ) {}

  async open(ctx: PortalContext, code: string): Promise<Access> {
    const order = await this.codes.findOrderByPortalCode(ctx.em, code);
    const own = ctx.actor.merchantId;
    if (order && (!own || order.merchant.id === own)) return { ok: true, order };
    return { ok: false, error: await this.invalidAttempt(ctx) };
  }

  private async invalidAttempt(ctx: PortalContext): Promise<PortalError> {
    const now = ctx.clock.now();
    const ip = buyerIp(ctx);
    const target = this.target(ctx);
    const active = await this.suspensions.active(ctx.em, ip, target, now);
    if (active?.suspendedUntil)
      return portalError(PortalErrorCode.SUSPENDED, { suspendedUntil: active.suspendedUntil });
    // The portal server's unknown codes belong to no merchant: the instance's, seen by operators only.
    const merchantId = ctx.actor.merchantId || null;
    const failed = await this.suspensions.registerFailure(ctx.em, { merchantId, orderId: null, ip, target }, now);
    return failed.suspendedUntil
      ? portalError(PortalErrorCode.SUSPENDED, { suspendedUntil: failed.suspendedUntil })
      : portalError(PortalErrorCode.INVALID_CODE);
  }

  /** `portal` for the portal server; a merchant key's own count is kept apart. */
  private target(ctx: PortalContext): string {
    return ctx.actor.merchantId ? `portal:${ctx.actor.merchantId}` : 'portal';
  }
}
